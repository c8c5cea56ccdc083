'use strict';
// The e2e counts the docs quote, one row per n8n version, written by the run that counted
// them (the rows of other versions stay as their own runs wrote them).
const fs = require('node:fs');
const path = require('node:path');
const os = require('node:os');
const { REPO, commit, writeMeasured } = require('../lab/docs');

const FILE = 'docs/development.md';
const NAME = 'e2e';
const HEADER = [
	'| n8n | cases | passed | failed | skipped | time | date, machine, commit |',
	'|---|---|---|---|---|---|---|',
];

function recordRun({ version, result, seconds }) {
	const text = fs.readFileSync(path.join(REPO, FILE), 'utf8');
	const begin = text.indexOf(`<!-- ${NAME}: begin`);
	const end = text.indexOf(`<!-- ${NAME}: end -->`);
	const rows = new Map();
	for (const line of text.slice(begin, end).split('\n')) {
		const match = /^\| (\d+\.\d+\.\d+) \|/.exec(line);
		if (match) rows.set(match[1], line);
	}
	const { passed, failed, skipped } = result;
	const when = `${new Date().toISOString().slice(0, 10)}, ${os.cpus().length} × ${os.cpus()[0]?.model.trim()}, load ${os.loadavg()[0].toFixed(1)}, commit ${commit() ?? 'unknown'}`;
	rows.set(
		version,
		`| ${version} | ${passed + failed + skipped} | ${passed} | ${failed} | ${skipped} | ${Math.round(seconds)} s | ${when} |`,
	);
	const sorted = [...rows.entries()].sort(([a], [b]) =>
		b.localeCompare(a, undefined, { numeric: true }),
	);
	return writeMeasured(FILE, NAME, [...HEADER, ...sorted.map(([, row]) => row)].join('\n'));
}

module.exports = { recordRun };
