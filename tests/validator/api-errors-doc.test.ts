import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { API_ERRORS } from '../../validator/api';

test("the API's error catalog and validator/api/README.md's table list the same codes and statuses", () => {
  const doc = readFileSync(join(__dirname, '../../validator/api/README.md'), 'utf8');
  const section = doc.slice(doc.indexOf('## Errors'));
  const rows = [...section.matchAll(/^\| `(\w+)` \| (\d{3}) \|/gm)].map((m) => [m[1], Number(m[2])]);
  expect(Object.fromEntries(rows)).toEqual(API_ERRORS);
  expect(rows).toHaveLength(Object.keys(API_ERRORS).length);
});
