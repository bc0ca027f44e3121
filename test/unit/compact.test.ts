/**
 * Interning (model/compact.ts): `intern` keeps one copy of each text, and `internRange` gives what
 * `intern` gives for the same slice, whether the text is in the cache of recent strings (compared
 * in place) or not, including texts that share a slot of that cache.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { intern, internRange } from '../../server/src/engine/model/compact';
import { Random } from '../support/random';

describe('intern', () => {
  it('gives one shared copy of equal texts cut from different files', () => {
    const first = 'metadata:\n  name: checkout-api\n'.slice(18, 30);
    const second = 'labels: {app: checkout-api}'.slice(14, 26);
    assert.equal(first, 'checkout-api');
    assert.equal(intern(first), 'checkout-api');
    assert.equal(intern(second), intern(first));
    assert.ok(Object.is(intern(second), intern(first)));
  });

  it('keeps texts longer than the pooled length as they are', () => {
    const long = 'x'.repeat(300);
    assert.equal(intern(long), long);
  });
});

describe('internRange', () => {
  it('equals intern of the slice, for texts in the cache and not', () => {
    const random = new Random(7);
    const words = ['app', 'TCP', 'http', 'web', 'api', 'checkout-api', 'app.kubernetes.io/name', '', 'a', 'ab', 'ba', 'x'.repeat(256), 'y'.repeat(257)];
    // Texts of one length that differ only in characters the cache slot does not look at share a slot.
    for (let index = 0; index < 40; index++) words.push(`s${String.fromCharCode(97 + (index % 26))}${index % 7}mid${index}e`);
    const pieces: string[] = [];
    for (let index = 0; index < 2000; index++) pieces.push(words[random.int(words.length)]!);
    const text = pieces.join(' ');
    let offset = 0;
    for (const piece of pieces) {
      const got = internRange(text, offset, offset + piece.length);
      assert.equal(got, piece);
      assert.ok(Object.is(got, intern(piece)), `internRange(${JSON.stringify(piece)}) is the interned copy`);
      offset += piece.length + 1;
    }
  });

  it('does not take a cached text of the same length and slot for a different one', () => {
    // Same length, same first, middle and last characters: the same slot of the recent cache.
    const cached = intern('aXbYd'.slice(0));
    assert.equal(internRange('..aZbWd..', 2, 7), 'aZbWd');
    assert.equal(internRange('..aXbYd..', 2, 7), cached);
    assert.ok(Object.is(internRange('..aXbYd..', 2, 7), intern('aXbYd')));
  });
});
