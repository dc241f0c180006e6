// Converts the statutory holidays and adjusted working days (调休) of the npm package chinese-days into
// src/FinanceChain.Domain/Calendar/china-business-days.json, the data file of BusinessCalendar.China.
//
//   cd tools/holidays && npm install --no-package-lock && npm run convert
//
// chinese-days (github.com/vsme/chinese-days, MIT licence) transcribes the State Council's yearly notice
// on public holidays (国务院办公厅关于部分节假日安排的通知). Run this again when a new version carries the
// next year's notice, check the new year against the notice itself, and commit the data file: the service
// reads only the committed file, never this package.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const here = dirname(fileURLToPath(import.meta.url));
const packageFile = require.resolve('chinese-days/package.json');
const version = JSON.parse(readFileSync(packageFile, 'utf8')).version;
const data = JSON.parse(readFileSync(join(dirname(packageFile), 'dist', 'chinese-days.json'), 'utf8'));

const isoDate = /^\d{4}-\d{2}-\d{2}$/;
const weekday = (date) => new Date(`${date}T00:00:00Z`).getUTCDay(); // 0 Sunday … 6 Saturday
const years = new Map();
const yearOf = (date) => {
  if (!isoDate.test(date)) throw new Error(`Not an ISO date: ${date}`);
  const year = date.slice(0, 4);
  if (!years.has(year)) years.set(year, { holidays: [], workdays: [] });
  return years.get(year);
};

for (const date of Object.keys(data.holidays)) yearOf(date).holidays.push(date);
for (const date of Object.keys(data.workdays)) {
  // An adjusted working day is a Saturday or Sunday worked instead of a weekday off.
  if (weekday(date) !== 0 && weekday(date) !== 6) throw new Error(`Working day ${date} is not a weekend day.`);
  if (date in data.holidays) throw new Error(`${date} is both a holiday and a working day.`);
  yearOf(date).workdays.push(date);
}

const out = {
  source: `chinese-days ${version} (npm; github.com/vsme/chinese-days, MIT licence), transcribing the State Council's yearly notices on public holidays (国务院办公厅关于部分节假日安排的通知)`,
  convertedBy: 'tools/holidays/convert.mjs',
  years: Object.fromEntries([...years.keys()].sort().map((year) => {
    const { holidays, workdays } = years.get(year);
    return [year, { holidays: holidays.sort(), workdays: workdays.sort() }];
  })),
};

const target = join(here, '..', '..', 'src', 'FinanceChain.Domain', 'Calendar', 'china-business-days.json');
writeFileSync(target, JSON.stringify(out, null, 2) + '\n');
console.log(`${years.size} years (${[...years.keys()].sort()[0]}-${[...years.keys()].sort().at(-1)}) written.`);
