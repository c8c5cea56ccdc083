#!/usr/bin/env node
'use strict';
// `node scripts/first-run.js`: a newcomer's first steps on this machine, measured, and written
// into the README's Try it (between its first-run markers) with the date, the commit and the
// load average. What it does, as a person would:
//   1. reads what `npm install` left in this clone: node_modules on disk, its largest folders
//   2. `npm test`: how long, and jest's tally
//   3. `npm start` with an empty n8n cache (a temporary one: the real cache is not touched):
//      the n8n install's time, size on disk and longest silence; time to ready; Ctrl-C
//   4. `npm start` again on that cache: time to ready; Ctrl-C
//   5. `npm start` with another empty cache, Ctrl-C during the install
// and checks what a person reads when stopping: nothing after `Stopping...` but the removal
// of an unfinished install and `Stopped.`, and no unfinished install left on disk. It writes
// the README only when every step ran and every check held; it always writes everything it
// measured to bench/results/first-run.json. About 10 minutes and, while it runs, the disk of
// one more n8n install (removed at the end).
//   node scripts/first-run.js --from-results   writes the README's sentence again from that file
const { execFileSync, spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { commit, writeMeasured } = require('../lab/docs');
const { freePort, cleanEnv, DEFAULT_VERSION } = require('../lab/n8n');

const REPO = path.join(__dirname, '..');
const RESULTS = path.join(REPO, 'bench', 'results', 'first-run.json');
const READY_TIMEOUT_MS = 30 * 60000;
const log = (line) => process.stderr.write(`${line}\n`);

/** Bytes on disk (du's block count) of `dir`. */
function diskBytes(dir) {
	return Number(execFileSync('du', ['-sk', dir], { encoding: 'utf8' }).split('\t')[0]) * 1024;
}

const mb = (bytes) => `${Math.round(bytes / 2 ** 20)} MB`;
const gb = (bytes) => `${(bytes / 2 ** 30).toFixed(1)} GB`;
const seconds = (ms) => Math.round(ms / 1000);

function devInstall() {
	const modules = path.join(REPO, 'node_modules');
	const folders = fs
		.readdirSync(modules)
		.filter((name) => !name.startsWith('.'))
		.map((name) => ({ name, bytes: diskBytes(path.join(modules, name)) }))
		.sort((a, b) => b.bytes - a.bytes);
	return {
		bytes: diskBytes(modules),
		largest: folders.slice(0, 3),
		n8nCore: folders.find((f) => f.name === 'n8n-core')?.bytes ?? null,
	};
}

function npmTest() {
	return new Promise((resolve, reject) => {
		const started = Date.now();
		const child = spawn('npm', ['test'], { cwd: REPO, env: cleanEnv(), stdio: 'pipe' });
		let output = '';
		child.stdout.on('data', (d) => (output += d));
		child.stderr.on('data', (d) => (output += d));
		child.once('error', reject);
		child.once('exit', (code) => {
			const tally = (output.match(/^Tests:\s+(.*)$/m) || [])[1] ?? null;
			if (code !== 0) return reject(new Error(`npm test exited ${code}:\n${output.slice(-3000)}`));
			resolve({ ms: Date.now() - started, tally });
		});
	});
}

/**
 * `npm start` in its own process group, as a terminal runs it; `stopWhen(line, lines)` says
 * when to press Ctrl-C (SIGINT to the group). Resolves with every line and when it came.
 */
async function npmStart({ cache, stopWhen, label }) {
	const env = cleanEnv({ N8N_E2E_CACHE: cache, N8N_PORT: String(await freePort()) });
	const started = Date.now();
	const child = spawn('npm', ['start'], { cwd: REPO, env, detached: true, stdio: 'pipe' });
	const lines = [];
	let stoppedAt = null;
	let pending = '';
	const onData = (chunk) => {
		pending += chunk;
		const parts = pending.split('\n');
		pending = parts.pop();
		for (const text of parts) {
			const line = { ms: Date.now() - started, text };
			lines.push(line);
			if (stoppedAt === null && stopWhen(line, lines)) {
				stoppedAt = Date.now() - started;
				log(`  [${label}] Ctrl-C at ${seconds(stoppedAt)} s`);
				setTimeout(() => process.kill(-child.pid, 'SIGINT'), 1000);
			}
		}
	};
	child.stdout.on('data', onData);
	child.stderr.on('data', onData);
	const timer = setTimeout(() => {
		log(`  [${label}] not ready after ${READY_TIMEOUT_MS / 60000} min: stopping it`);
		process.kill(-child.pid, 'SIGINT');
	}, READY_TIMEOUT_MS);
	const code = await new Promise((resolve) => child.once('exit', resolve));
	clearTimeout(timer);
	if (pending) lines.push({ ms: Date.now() - started, text: pending });
	const exitedAt = Date.now() - started;
	return { code, lines, stoppedAt, exitedAt };
}

/** What a person reads after Ctrl-C: only these lines may follow `Stopping...`. */
function stopCheck(run, { install }) {
	const texts = run.lines.map((l) => l.text.trim()).filter(Boolean);
	const from = texts.lastIndexOf('Stopping...');
	const after = from === -1 ? [] : texts.slice(from + 1);
	const allowed = install
		? (t) => t === 'Stopped.' || t.startsWith('Removed the unfinished n8n install')
		: (t) => t === 'Stopped.';
	const problems = [];
	if (from === -1) problems.push('no "Stopping..." line');
	if (after[after.length - 1] !== 'Stopped.') problems.push('the last line is not "Stopped."');
	for (const t of after) if (!allowed(t)) problems.push(`after "Stopping...": ${t}`);
	if (install && !after.some((t) => t.startsWith('Removed the unfinished n8n install')))
		problems.push('no word of the unfinished install being removed');
	return { after, problems, stopSeconds: (run.exitedAt - run.stoppedAt) / 1000 - 1 };
}

function readyAt(run) {
	return run.lines.find((l) => /n8n is ready/.test(l.text))?.ms ?? null;
}

/** The longest stretch without a line while n8n was being installed. */
function longestSilence(run) {
	const start = run.lines.findIndex((l) => /^Installing n8n/.test(l.text));
	const end = run.lines.findIndex((l) => /installed in \d+ s/.test(l.text));
	if (start === -1 || end === -1) return null;
	let longest = 0;
	for (let i = start + 1; i <= end; i++) {
		longest = Math.max(longest, run.lines[i].ms - run.lines[i - 1].ms);
	}
	return longest;
}

function leftovers(cache) {
	return fs.existsSync(cache) ? fs.readdirSync(cache).filter((n) => n.includes('.partial-')) : [];
}

/** The README's sentence, from what was measured. */
function render(out) {
	const { facts } = out;
	const d = out.devInstall;
	const stop = (part) => `${Math.max(0, part.stop.stopSeconds).toFixed(1)} s`;
	return (
		`Measured by \`node scripts/first-run.js\` on ${facts.date.slice(0, 10)}, commit ${facts.commit ?? 'unknown'}, ` +
		`${facts.cpus} × ${facts.cpuModel}, load average ${facts.loadAverage[0]} at the start: ` +
		`\`npm install\` leaves ${mb(d.bytes)} in node_modules (largest: ${d.largest.map((f) => `${f.name} ${mb(f.bytes)}`).join(', ')}; n8n-core itself ${mb(d.n8nCore)}); ` +
		`\`npm test\` took ${seconds(out.npmTest.ms)} s (${out.npmTest.tally}); ` +
		`the first \`npm start\` installed n8n ${DEFAULT_VERSION} (${gb(out.cold.installBytes)}) in ${out.cold.installSeconds} s, ` +
		`never silent for more than ${seconds(out.cold.longestSilenceMs)} s, and was ready after ${seconds(out.cold.readyMs)} s; ` +
		`the next was ready after ${seconds(out.warm.readyMs)} s; ` +
		`Ctrl-C printed \`Stopped.\` ${stop(out.warm)} later (during the install: ${stop(out.interrupted)}, its unfinished folder removed).`
	);
}

/** --from-results: writes the README's sentence again from bench/results/first-run.json. */
function fromResults() {
	const out = JSON.parse(fs.readFileSync(RESULTS, 'utf8'));
	if (out.problems.length) throw new Error(`that run had problems: ${out.problems.join('; ')}`);
	const text = render(out);
	process.stdout.write(`${text}\nWrote ${writeMeasured('README.md', 'first-run', text)}\n`);
}

async function main() {
	const facts = {
		date: new Date().toISOString(),
		commit: commit(),
		cpus: os.cpus().length,
		cpuModel: os.cpus()[0]?.model.trim(),
		loadAverage: os.loadavg().map((l) => Number(l.toFixed(2))),
		node: process.version,
	};
	const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'statproxies-first-run-'));
	const problems = [];
	const out = { facts };
	try {
		log('1. node_modules of this clone...');
		out.devInstall = devInstall();

		log('2. npm test...');
		out.npmTest = await npmTest();

		log('3. npm start, empty n8n cache (installs n8n)...');
		const cache = path.join(scratch, 'cache');
		const cold = await npmStart({
			cache,
			label: 'first',
			stopWhen: (line) => /n8n is ready/.test(line.text),
		});
		const installedLine = cold.lines.find((l) => /installed in (\d+) s/.test(l.text));
		const installDir = path.join(cache, `n8n-${DEFAULT_VERSION}`);
		out.cold = {
			readyMs: readyAt(cold),
			installSeconds: installedLine ? Number(installedLine.text.match(/in (\d+) s/)[1]) : null,
			installBytes: fs.existsSync(installDir) ? diskBytes(installDir) : null,
			longestSilenceMs: longestSilence(cold),
			stop: stopCheck(cold, { install: false }),
			lines: cold.lines,
		};

		log('4. npm start again (n8n cached)...');
		const warm = await npmStart({
			cache,
			label: 'again',
			stopWhen: (line) => /n8n is ready/.test(line.text),
		});
		out.warm = {
			readyMs: readyAt(warm),
			stop: stopCheck(warm, { install: false }),
			lines: warm.lines,
		};

		log('5. npm start, empty cache, Ctrl-C during the install...');
		const cut = path.join(scratch, 'cut');
		const interrupted = await npmStart({
			cache: cut,
			label: 'interrupted',
			stopWhen: (line) => /\.\.\. still /.test(line.text),
		});
		out.interrupted = {
			stop: stopCheck(interrupted, { install: true }),
			leftovers: leftovers(cut),
			lines: interrupted.lines,
		};

		if (!out.cold.readyMs) problems.push('the first npm start never got ready');
		if (!out.cold.installSeconds) problems.push('the first npm start did not say it installed n8n');
		if (!out.warm.readyMs) problems.push('the second npm start never got ready');
		for (const [name, part] of [
			['first npm start', out.cold],
			['second npm start', out.warm],
			['interrupted install', out.interrupted],
		]) {
			for (const p of part.stop.problems) problems.push(`${name}: ${p}`);
		}
		if (out.interrupted.leftovers.length)
			problems.push(`unfinished install left: ${out.interrupted.leftovers.join(', ')}`);
	} finally {
		fs.rmSync(scratch, { recursive: true, force: true });
		fs.mkdirSync(path.dirname(RESULTS), { recursive: true });
		fs.writeFileSync(RESULTS, `${JSON.stringify({ ...out, problems }, null, 2)}\n`);
		log(`Wrote ${path.relative(process.cwd(), RESULTS)}`);
	}

	const text = render(out);
	process.stdout.write(`${text}\n`);
	if (problems.length) {
		process.stdout.write(
			`\nNot written to the README:\n${problems.map((p) => `  - ${p}`).join('\n')}\n`,
		);
		process.exit(1);
	}
	process.stdout.write(`Wrote ${writeMeasured('README.md', 'first-run', text)}\n`);
}

(process.argv.includes('--from-results') ? Promise.resolve().then(fromResults) : main()).catch(
	(error) => {
		console.error(error);
		process.exit(1);
	},
);
