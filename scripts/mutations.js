#!/usr/bin/env node
'use strict';
// The mutation check (issue 9, "Done when"): every guard the package promises is removed or
// weakened in turn, and at least one jest test must fail for it. Each mutation edits the
// source in place, runs the jest files listed for it, and restores the original in a
// `finally` (and on Ctrl-C, SIGTERM or an uncaught error): the work tree is never left
// mutated. Plain JS: n8n's lint forbids `process` and `node:*` in .ts files.
//
//   node scripts/mutations.js                 run every mutation, print the table
//   node scripts/mutations.js --only <regex>  only the guards whose name matches <regex>
//   node scripts/mutations.js --markdown      also write docs/mutations.md from the results
//   node scripts/mutations.js --list          print the table without running anything
//
// A mutation: { guard, file, find, replace, tests }. `find` must occur exactly once in
// `file`, else the mutation is reported as STALE (the source moved on: update the table).
// For a mutation that needs two edits (reserve *after* sending), `find` and `replace` may be
// arrays of the same length, applied in order. Exit code: 1 if any mutation survived or is
// stale, or if the tests fail before any mutation (the baseline), else 0.
const fs = require('node:fs');
const path = require('node:path');
const { spawn } = require('node:child_process');
const os = require('node:os');

const ROOT = path.resolve(__dirname, '..');
// The commit measured, read before any mutation touches the work tree.
const MEASURED_COMMIT = require('../lab/docs').commit() ?? 'unknown';
/** Tests that run longer than this for one mutation are taken as hung: the mutation is killed. */
const HANG_MS = 4 * 60 * 1000;
const MUTATIONS = [
	...require('./mutations/before-sending'),
	...require('./mutations/scope'),
	...require('./mutations/keys'),
	...require('./mutations/answers'),
	...require('./mutations/credential'),
	...require('./mutations/exchange'),
	...require('./mutations/review'),
];
const { EQUIVALENT } = require('./mutations/answers');

// ---------------------------------------------------------------------------------------

const args = process.argv.slice(2);
const wantMarkdown = args.includes('--markdown');
const listOnly = args.includes('--list');
const onlyAt = args.indexOf('--only');
const only = onlyAt !== -1 ? args[onlyAt + 1] : undefined;
const selected = MUTATIONS.filter((m) => !only || new RegExp(only, 'i').test(m.guard));

/** file (absolute) -> original text, while a mutation is applied. */
const originals = new Map();
let child;

function restoreAll() {
	for (const [file, text] of originals) fs.writeFileSync(file, text);
	originals.clear();
}

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
	process.on(signal, () => {
		restoreAll();
		if (child && child.exitCode === null) {
			try {
				process.kill(-child.pid, 'SIGTERM');
			} catch {
				/* already gone */
			}
		}
		console.error(`\n${signal}: sources restored, stopping.`);
		process.exit(130);
	});
}
process.on('exit', restoreAll);
process.on('uncaughtException', (error) => {
	restoreAll();
	console.error(error);
	process.exit(2);
});

function occurrences(text, find) {
	return text.split(find).length - 1;
}

/**
 * A mutation's edits: { file, find, replace } (find and replace may be arrays of the same
 * length, applied in order), or `edits: [{ file, find, replace }, ...]` across files.
 */
function editsOf(mutation) {
	return mutation.edits ?? [{ file: mutation.file, find: mutation.find, replace: mutation.replace }];
}

/** Each file the mutation touches, with its mutated text, or why it no longer applies. */
function mutateAll(mutation) {
	const texts = new Map();
	for (const edit of editsOf(mutation)) {
		const file = path.join(ROOT, edit.file);
		const before = texts.get(file) ?? fs.readFileSync(file, 'utf8');
		const applied = mutate(before, edit);
		if (applied.stale) return { stale: applied.stale };
		texts.set(file, applied.text);
	}
	return { texts };
}

/** The mutated text, or why the mutation no longer applies. */
function mutate(original, mutation) {
	const finds = [].concat(mutation.find);
	const replaces = [].concat(mutation.replace);
	if (finds.length !== replaces.length) return { stale: 'find and replace differ in length' };
	let text = original;
	for (const [index, find] of finds.entries()) {
		const count = occurrences(text, find);
		if (count !== 1) return { stale: `"${find.trim().slice(0, 60)}" found ${count} times` };
		text = text.replace(find, () => replaces[index]);
	}
	return { text };
}

/** Runs jest on `tests`; resolves to { failed: [test names], suiteErrors: [...], ok }. */
function runJest(tests) {
	const existing = tests.filter((file) => fs.existsSync(path.join(ROOT, file)));
	if (existing.length === 0) {
		return Promise.resolve({ ok: true, failed: [], suiteErrors: [] });
	}
	const out = path.join(os.tmpdir(), `mutations-${process.pid}.json`);
	fs.rmSync(out, { force: true });
	return new Promise((resolve) => {
		child = spawn(
			'npx',
			['jest', ...existing, '--silent', '--runInBand', '--forceExit', '--json', `--outputFile=${out}`],
			{ cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'], detached: true },
		);
		// A mutation can make a loop endless (a store that keeps failing, tried again forever):
		// the tests then never end, which is a failure too.
		const running = child;
		const hang = setTimeout(() => {
			try {
				process.kill(-running.pid, 'SIGKILL');
			} catch {
				/* already gone */
			}
		}, HANG_MS);
		let stderr = '';
		child.stderr.on('data', (chunk) => (stderr = (stderr + chunk).slice(-4000)));
		child.on('close', (code) => {
			clearTimeout(hang);
			let report;
			try {
				report = JSON.parse(fs.readFileSync(out, 'utf8'));
			} catch {
				resolve({
					ok: false,
					failed: [],
					suiteErrors: [`jest wrote no report (exit ${code}): ${stderr.slice(-500)}`],
				});
				return;
			}
			const failed = [];
			const suiteErrors = [];
			for (const suite of report.testResults) {
				const file = path.relative(ROOT, suite.name);
				const names = suite.assertionResults.filter((a) => a.status === 'failed');
				for (const a of names) failed.push(`${file}: ${a.fullName}`);
				if (suite.status === 'failed' && names.length === 0) {
					suiteErrors.push(
						`${file}: ${(suite.message || 'suite failed').split('\n').find((l) => l.trim()) ?? ''}`,
					);
				}
			}
			resolve({
				ok: code === 0 && failed.length === 0 && suiteErrors.length === 0,
				failed,
				suiteErrors,
			});
		});
	});
}

function shorten(name, width = 150) {
	return name.length > width ? `${name.slice(0, width - 3)}...` : name;
}

async function main() {
	if (listOnly) {
		for (const m of selected) {
			const applied = mutateAll(m);
			const files = editsOf(m).map((edit) => edit.file);
			console.log(
				`${applied.stale ? `STALE (${applied.stale}) ` : ''}${m.guard}  [${files.join(', ')}]  -> ${m.tests.join(' ')}`,
			);
		}
		return 0;
	}
	const started = Date.now();
	const allTests = [...new Set(selected.flatMap((m) => m.tests))];
	console.log(`Baseline: ${allTests.length} test files, unmutated...`);
	const baseline = await runJest(allTests);
	if (!baseline.ok) {
		console.log('The tests fail before any mutation: nothing to conclude.');
		for (const line of [...baseline.failed, ...baseline.suiteErrors])
			console.log(`  ${shorten(line)}`);
		return 1;
	}
	const results = [];
	for (const [index, mutation] of selected.entries()) {
		const applied = mutateAll(mutation);
		const label = `[${index + 1}/${selected.length}] ${mutation.guard}`;
		if (applied.stale) {
			results.push({ mutation, status: 'STALE', detail: [applied.stale] });
			console.log(`${label}: STALE (${applied.stale})`);
			continue;
		}
		const t0 = Date.now();
		let run;
		try {
			for (const [file, text] of applied.texts) {
				originals.set(file, fs.readFileSync(file, 'utf8'));
				fs.writeFileSync(file, text);
			}
			run = await runJest(mutation.tests);
		} finally {
			restoreAll();
		}
		const seconds = Math.round((Date.now() - t0) / 1000);
		const killers = [...run.failed, ...run.suiteErrors.map((line) => `(suite error) ${line}`)];
		const status = killers.length > 0 ? 'killed' : 'SURVIVED';
		results.push({ mutation, status, detail: killers, seconds });
		console.log(`${label}: ${status} (${seconds}s)`);
		for (const line of killers.slice(0, 3)) console.log(`    ${shorten(line)}`);
		if (killers.length > 3) console.log(`    ... and ${killers.length - 3} more`);
	}
	const killed = results.filter((r) => r.status === 'killed').length;
	const survived = results.filter((r) => r.status === 'SURVIVED').length;
	const stale = results.filter((r) => r.status === 'STALE').length;
	const minutes = ((Date.now() - started) / 60000).toFixed(1);
	if (wantMarkdown) writeMarkdown(results, minutes);
	console.log(`Runtime ${minutes} min.${stale ? ` ${stale} stale.` : ''}`);
	console.log(`${killed} killed, ${survived} survived`);
	return survived > 0 || stale > 0 ? 1 : 0;
}

function writeMarkdown(results, minutes) {
	const cell = (text) => String(text).replace(/\|/g, '\\|').replace(/\n/g, ' ');
	const lines = [
		'# Mutation check',
		'',
		'Generated by `node scripts/mutations.js --markdown`: each guard the package promises is',
		'removed or weakened in turn, and the jest tests listed must fail. Do not edit by hand.',
		'',
		`Last run: ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, commit ${MEASURED_COMMIT}, ${minutes} min, ${results.filter((r) => r.status === 'killed').length} killed, ${results.filter((r) => r.status === 'SURVIVED').length} survived.`,
		'',
		'| Guard | Mutation | Result | Killed by (first failing test) |',
		'|---|---|---|---|',
	];
	for (const { mutation, status, detail } of results) {
		const what = editsOf(mutation)
			.map((edit) => {
				const replaces = [].concat(edit.replace);
				const changes = [].concat(edit.find).map(
					(find, i) =>
						`\`${find.trim().replace(/\s+/g, ' ')}\` → ${replaces[i].trim() ? `\`${replaces[i].trim().replace(/\s+/g, ' ')}\`` : '(removed)'}`,
				);
				return `${edit.file}: ${changes.join('; ')}`;
			})
			.join('; ');
		const by =
			status === 'killed'
				? `${detail[0]}${detail.length > 1 ? ` (+${detail.length - 1} more)` : ''}`
				: detail.join('; ');
		lines.push(
			`| ${cell(mutation.guard)} | ${cell(what)} | ${status} | ${cell(by)} |`,
		);
	}
	lines.push('', '## Left out as equivalent', '');
	for (const { guard, why } of EQUIVALENT) lines.push(`- ${guard}: ${why}`);
	lines.push('');
	fs.mkdirSync(path.join(ROOT, 'docs'), { recursive: true });
	fs.writeFileSync(path.join(ROOT, 'docs/mutations.md'), lines.join('\n'));
	console.log('Wrote docs/mutations.md');
}

main().then(
	(code) => process.exit(code),
	(error) => {
		restoreAll();
		console.error(error);
		process.exit(2);
	},
);
