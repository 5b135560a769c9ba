import fc from 'fast-check';
import { topLevelMembers } from '../../miner/axon/json-members';

const sliceValues = (text: string): Record<string, unknown> | null => {
  const buf = Buffer.from(text);
  const members = topLevelMembers(buf);
  if (members === null) return null;
  return Object.fromEntries([...members].map(([k, [a, b]]) => [k, JSON.parse(buf.toString('utf8', a, b)) as unknown]));
};

describe('topLevelMembers', () => {
  it('every member slice parses to the value JSON.parse gives (random objects, any spacing)', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), fc.constantFrom(0, 2), (object, indent) => {
        const text = JSON.stringify(object, null, indent);
        expect(sliceValues(text)).toEqual(JSON.parse(text));
      }),
      { seed: 42, numRuns: 300 },
    );
  });

  it('escaped quotes and backslashes in keys and strings, duplicate keys (the last wins), empty objects', () => {
    expect(sliceValues('{"a\\"b":"x\\\\","c":"q\\"\\\\\\"", "c" : [1,{"d":"}"}] }')).toEqual({ 'a"b': 'x\\', c: [1, { d: '}' }] });
    expect(sliceValues(' { } ')).toEqual({});
    expect(sliceValues('{"n":-1.5e3,"t":true,"z":null}')).toEqual({ n: -1500, t: true, z: null });
  });

  it('is null for what is not an object', () => {
    expect(topLevelMembers(Buffer.from('[1,2]'))).toBeNull();
    expect(topLevelMembers(Buffer.from('"x"'))).toBeNull();
    expect(topLevelMembers(Buffer.from('{"a":'))).toBeNull();
  });
});
