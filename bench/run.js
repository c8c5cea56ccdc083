#!/usr/bin/env node
'use strict';
// `npm run bench`: where the package stands against the HTTP Request node and the raw HTTP
// round trip, measured side by side in one run. Each part runs in its own process, one after
// the other. The table goes to stdout (Markdown, ready for the README), everything measured to
// bench/results/latest.json (bench/results/partial.json when only some parts ran). Times are
// medians with their spread, compared as ratios: the machines are shared and noisy. Nothing
// here asserts a time. A run of every part also rewrites the table of docs/performance.md and
// the summary in the README's Performance section. Every part has a noise check (the same work
// measured twice), and each goal's verdict reads against it: "met", "within noise", "missed".
//   node bench/run.js [overhead] [n8n] [load] [memory] [size]   (default: all five)
// Knobs (environment): BENCH_ROUNDS, BENCH_ITEMS, BENCH_N8N_RUNS, BENCH_N8N_PAIRS,
// BENCH_LOAD_PROCESSES, BENCH_MEMORY_SIZES, and BENCH_PACKAGE_DIR to measure another build;
// BENCH_QUIET_LOAD=1 waits before each part (up to BENCH_QUIET_WAIT_MIN minutes, 15) until the
// 1-min load average is under 1: on a shared machine, what other work does to the times is
// the noise no check inside a part can fully separate. Each part's load average is recorded.
// The load part runs first: its goal is an absolute time, the most sensitive to load.
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { ROOT, REPO } = require('./lib/context');
const { GOALS, summary, table } = require('./lib/table');
const { commit, writeMeasured } = require('../lab/docs');

const PARTS = ['load', 'overhead', 'n8n', 'memory', 'size'];
const QUIET_LOAD = Number(process.env.BENCH_QUIET_LOAD || 0);
const QUIET_WAIT_MS = Number(process.env.BENCH_QUIET_WAIT_MIN || 15) * 60000;
const load1 = () => Number(os.loadavg()[0].toFixed(2));

/** With BENCH_QUIET_LOAD, waits until the 1-min load average is under it (or the wait is up). */
async function waitForQuiet(part) {
	if (!QUIET_LOAD) return 0;
	const started = Date.now();
	while (load1() >= QUIET_LOAD && Date.now() - started < QUIET_WAIT_MS) {
		process.stderr.write(
			`bench: ${part} waits for a load average under ${QUIET_LOAD} (${load1()})\n`,
		);
		await new Promise((resolve) => setTimeout(resolve, 15000));
	}
	return Math.round((Date.now() - started) / 1000);
}
// A run of every part is the one the README quotes; a run of some parts goes elsewhere.
const RESULTS = path.join(__dirname, 'results', 'latest.json');
const PARTIAL_RESULTS = path.join(__dirname, 'results', 'partial.json');

function runPart(name) {
	return new Promise((resolve, reject) => {
		const child = spawn(
			process.execPath,
			['--expose-gc', path.join(__dirname, 'parts', `${name}.js`)],
			{
				stdio: ['ignore', 'pipe', 'inherit'],
				// The node logs a line per order, as n8n does at its default level (info): kept, so
				// its cost is measured (N8N_LOG_LEVEL=warn measures without it), but written to a
				// file, since stdout carries the part's JSON.
				env: {
					...process.env,
					N8N_LOG_LEVEL: process.env.N8N_LOG_LEVEL ?? 'info',
					N8N_LOG_OUTPUT: 'file',
					N8N_LOG_FILE_LOCATION: path.join(os.tmpdir(), `statproxies-bench-${name}.log`),
				},
			},
		);
		let stdout = '';
		child.stdout.on('data', (chunk) => (stdout += chunk));
		child.once('error', reject);
		child.once('exit', (code) => {
			if (code !== 0) return reject(new Error(`bench part ${name} exited with ${code}`));
			try {
				resolve(JSON.parse(stdout));
			} catch {
				reject(new Error(`bench part ${name} printed no JSON:\n${stdout.slice(-2000)}`));
			}
		});
	});
}

function machine() {
	const cpus = os.cpus();
	const args = process.argv.slice(2);
	return {
		date: new Date().toISOString(),
		node: process.version,
		cpus: cpus.length,
		cpuModel: cpus[0]?.model.trim(),
		memoryGiB: Math.round(os.totalmem() / 2 ** 30),
		platform: `${os.platform()} ${os.release()}`,
		loadAverage: os.loadavg().map((l) => Number(l.toFixed(2))),
		commit: commit(),
		packageDir: ROOT,
		command:
			process.env.npm_lifecycle_event === 'bench'
				? `npm run bench${args.length ? ` -- ${args.join(' ')}` : ''}`
				: `${ROOT === REPO ? '' : 'BENCH_PACKAGE_DIR=<another build> '}node bench/run.js${args.map((a) => ` ${a}`).join('')}`,
	};
}

async function main() {
	const wanted = process.argv.slice(2).filter((arg) => PARTS.includes(arg));
	const parts = wanted.length ? wanted : PARTS;
	const facts = machine();
	facts.parts = {};
	const results = {};
	for (const part of PARTS.filter((p) => parts.includes(p))) {
		const waitedSeconds = await waitForQuiet(part);
		const started = Date.now();
		const loadBefore = load1();
		process.stderr.write(`bench: ${part} (load average ${loadBefore})...\n`);
		results[part] = await runPart(part);
		facts.parts[part] = { loadBefore, loadAfter: load1(), waitedSeconds };
		process.stderr.write(`bench: ${part} done in ${Math.round((Date.now() - started) / 1000)} s\n`);
	}
	facts.loadAverageAfter = os.loadavg().map((l) => Number(l.toFixed(2)));
	const markdown = table(results, facts);
	const file = parts.length === PARTS.length ? RESULTS : PARTIAL_RESULTS;
	fs.mkdirSync(path.dirname(file), { recursive: true });
	fs.writeFileSync(
		file,
		`${JSON.stringify({ machine: facts, goals: GOALS, results, markdown }, null, 2)}\n`,
	);
	process.stdout.write(`${markdown}\n\nWrote ${path.relative(process.cwd(), file)}\n`);
	// Only a run of every part stands for the package: it replaces the table in the docs.
	if (file === RESULTS) {
		process.stdout.write(`Wrote ${writeMeasured('docs/performance.md', 'bench', markdown)}\n`);
		process.stdout.write(`Wrote ${writeMeasured('README.md', 'bench', summary(results, facts))}\n`);
	}
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
