import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AXON_REFUSALS } from '../../miner/axon';

test("the refusal catalog and docs/wire-protocol.md's table list the same codes and statuses", () => {
  const doc = readFileSync(join(__dirname, '../../docs/wire-protocol.md'), 'utf8');
  const section = doc.slice(doc.indexOf("## The axon's refusals"), doc.indexOf('## Where tensornet is stricter'));
  const rows = [...section.matchAll(/^\| `(\w+)` \| (\d{3}) \|/gm)].map((m) => [m[1], Number(m[2])]);
  expect(Object.fromEntries(rows)).toEqual(AXON_REFUSALS);
  expect(rows).toHaveLength(Object.keys(AXON_REFUSALS).length);
});
