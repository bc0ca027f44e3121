/**
 * KeyTable.find, the block extractor's lookup of a key read from a file, against a plain reference
 * (the table's keys compared as strings): every key of every table of the document schema, keys one
 * edit away from them, keys of the same length and the same first and last characters, in place
 * inside a longer text. Tables of many keys share slots; a shared slot must still find each key.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { documentSchema } from '../../server/src/engine/kinds/registry';
import { KeyTable, keyTable, type Schema } from '../../server/src/engine/syntax/schema';
import { plainKeyText } from '../../server/src/engine/syntax/scalars';
import { Random } from '../support/random';

function tablesOf(root: Schema): Map<Schema, readonly string[]> {
  const tables = new Map<Schema, readonly string[]>();
  const walk = (schema: Schema): void => {
    if (tables.has(schema)) return;
    if (schema.keys) {
      tables.set(schema, Object.keys(schema.keys));
      for (const child of Object.values(schema.keys)) walk(child);
    }
    if (schema.items) walk(schema.items);
  };
  walk(root);
  return tables;
}

/** What `find` must answer for the key `text[start, end)`: the table's key read as written, or none. */
function expected(table: KeyTable, keys: readonly string[], text: string, start: number, end: number): string | undefined {
  const key = text.slice(start, end);
  return keys.includes(key) && plainKeyText(key) === key ? key : undefined;
}

function check(table: KeyTable, keys: readonly string[], key: string): void {
  const text = `  - ${key}: value\n`;
  const start = 4;
  const end = start + key.length;
  const found = table.find(text, start, end);
  assert.equal(found < 0 ? undefined : table.keyAt(found), expected(table, keys, text, start, end), JSON.stringify(key));
}

describe('KeyTable.find', () => {
  it('finds every key of the document schema, and nothing for keys one edit away', () => {
    const random = new Random(5);
    const tables = tablesOf(documentSchema({}));
    assert.ok(tables.size > 20, 'the document schema has many tables');
    for (const [schema, keys] of tables) {
      const table = keyTable(schema);
      for (const key of keys) {
        check(table, keys, key);
        for (let round = 0; round < 6; round++) {
          const at = random.int(key.length + 1);
          const letter = String.fromCharCode(97 + random.int(26));
          check(table, keys, key.slice(0, at) + letter + key.slice(at + 1)); // one replaced (or appended)
          check(table, keys, key.slice(0, at) + letter + key.slice(at)); // one inserted
          if (key.length > 1) check(table, keys, key.slice(0, at) + key.slice(at + 1)); // one deleted
        }
        // The same length, first and last characters: the same slot, another key.
        if (key.length > 2) check(table, keys, key[0] + 'x'.repeat(key.length - 2) + key[key.length - 1]);
      }
    }
  });

  it('finds each key of a table whose keys share slots', () => {
    const keys: string[] = [];
    for (let index = 0; index < 300; index++) keys.push(`k${index.toString(36)}z`, `a${'b'.repeat(index % 7)}c`);
    const unique = [...new Set(keys)];
    const table = new KeyTable(Object.fromEntries(unique.map((key) => [key, {}])));
    for (const key of unique) check(table, unique, key);
    for (const key of ['kz', 'k0y', 'ac', 'abbbbbbbc', 'abbbbbbbbc', 'constructor', '']) check(table, unique, key);
  });
});
