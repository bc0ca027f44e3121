/**
 * The nearest miss of a one-pair selector that no template satisfies is the template whose value
 * for the key is closest by edit distance, ties to file order (analysis/nearestMiss.ts). The first
 * searches in a key's values scan them; later ones go through an index of one-deletion variants
 * (by hash) for distances up to 1 and scan the values beyond (120 searches per namespace here): checked here against the definition, computed by brute force, on random values
 * drawn from small alphabets, where most values have several neighbours at distance 1. An index
 * that misses some variants finds some of those neighbours and not others, and then picks the
 * wrong one (an index that finds none falls back to the scan, which is only slower).
 */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { editDistance } from '../../server/src/engine/analysis/editDistance';
import type { ServiceObject } from '../../server/src/engine/model/objects';
import { Random } from '../support/random';
import { deploymentManifest, serviceManifest } from '../support/shapes';
import { TestHost } from '../support/testHost';

function word(random: Random, alphabet: string, min: number, max: number): string {
  const length = min + random.int(max - min + 1);
  let out = '';
  for (let index = 0; index < length; index++) out += alphabet[random.int(alphabet.length)];
  return out;
}

test('the nearest miss of a one-pair selector is the closest value, ties to file order', () => {
  for (let seed = 1; seed <= 6; seed++) {
    const random = new Random(seed);
    // Two alphabets: a small one, where most values have several neighbours at distance 1 (so a
    // variant missed by the index changes which one comes first), and a larger one.
    const alphabet = seed % 2 === 0 ? 'ab' : 'abcd';
    const values = Array.from({ length: 60 }, () => word(random, alphabet, 2, 7));
    const wanted = Array.from({ length: 120 }, () => word(random, alphabet + 'e', 1, 8)).filter((value) => !values.includes(value));
    const host = new TestHost();
    // One file per object: file order is the order of the file ids.
    host.setFiles([
      ...values.map((value, index) => [`ws/d${String(index).padStart(3, '0')}.yaml`, deploymentManifest(`d${index}`, JSON.stringify(value))] as const),
      ...wanted.map((value, index) => [`ws/s${String(index).padStart(3, '0')}.yaml`, serviceManifest(`s${index}`, JSON.stringify(value))] as const),
    ]);
    const snapshot = host.snapshot;
    let checked = 0;
    for (const [index, value] of wanted.entries()) {
      const object = snapshot.objectsOf(`ws/s${String(index).padStart(3, '0')}.yaml`)[0] as ServiceObject;
      const miss = snapshot.linkOf(object).nearestMiss;
      const distances = values.map((candidate) => editDistance(candidate, value));
      const best = Math.min(...distances);
      const expected = distances.indexOf(best);
      assert.ok(miss, `selector app=${value} (seed ${seed}) has a nearest miss`);
      assert.equal(miss.template.name, `d${expected}`, `selector app=${value} (seed ${seed}): ${miss.actual} chosen; ${values[expected]} is at distance ${best}`);
      checked++;
    }
    assert.ok(checked > 40);
  }
});
