#!/usr/bin/env node
'use strict';
// `npm run bench`: where the package stands against the HTTP Request node and the raw HTTP
// round trip, measured side by side in one run. Each part runs in its own process, one after
// the other. The table goes to stdout (Markdown, ready for the README), everything measured to
// bench/results/latest.json (bench/results/partial.json when only some parts ran). Times are
// medians with their spread, compared as ratios: the machines are shared and noisy. Nothing
// here asserts a time.
//   node bench/run.js [overhead] [n8n] [load] [memory] [size]   (default: all five)
// Knobs (environment): BENCH_ROUNDS, BENCH_ITEMS, BENCH_N8N_RUNS, BENCH_N8N_PAIRS,
// BENCH_LOAD_PROCESSES, BENCH_MEMORY_SIZES, and BENCH_PACKAGE_DIR to measure another build.
const { execFileSync, spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { ROOT, REPO } = require('./lib/context');

const PARTS = ['overhead', 'n8n', 'load', 'memory', 'size'];
// A run of every part is the one the README quotes; a run of some parts goes elsewhere.
const RESULTS = path.join(__dirname, 'results', 'latest.json');
const PARTIAL_RESULTS = path.join(__dirname, 'results', 'partial.json');
const GOALS = {
	overhead: 1.05,
	n8n: 1.0,
	loadMs: 5,
	residueBytes: 64 * 1024,
	tarballBytes: 40 * 1000,
};

function runPart(name) {
	return new Promise((resolve, reject) => {
		const child = spawn(
			process.execPath,
			['--expose-gc', path.join(__dirname, 'parts', `${name}.js`)],
			{
				stdio: ['ignore', 'pipe', 'inherit'],
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
	let commit = null;
	try {
		commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], {
			cwd: REPO,
			encoding: 'utf8',
		}).trim();
		const changed = execFileSync('git', ['status', '--porcelain', '--', 'nodes', 'credentials'], {
			cwd: REPO,
			encoding: 'utf8',
		});
		if (changed.trim() !== '') commit += ' with uncommitted changes to nodes/ or credentials/';
	} catch {
		// Not a git checkout.
	}
	return {
		date: new Date().toISOString(),
		node: process.version,
		cpus: cpus.length,
		cpuModel: cpus[0]?.model.trim(),
		memoryGiB: Math.round(os.totalmem() / 2 ** 30),
		platform: `${os.platform()} ${os.release()}`,
		loadAverage: os.loadavg().map((l) => Number(l.toFixed(2))),
		commit,
		packageDir: ROOT,
		command:
			process.env.npm_lifecycle_event === 'bench'
				? `npm run bench${args.length ? ` -- ${args.join(' ')}` : ''}`
				: `${ROOT === REPO ? '' : 'BENCH_PACKAGE_DIR=<another build> '}node bench/run.js${args.map((a) => ` ${a}`).join('')}`,
	};
}

// --- formatting -----------------------------------------------------------------------------

const f = (value, digits = 2) => (Number.isFinite(value) ? value.toFixed(digits) : 'n/a');
const spread = (s, digits = 2) => `${f(s.p10, digits)}–${f(s.p90, digits)}`;
const ratioText = (r) => `**${f(r.ofMedians)}** (paired ${spread(r.paired)})`;
const verdict = (ok) => (ok ? 'met' : '**missed**');

function rows(results) {
	const out = [];
	const { overhead, n8n, load, memory, size } = results;
	if (overhead) {
		const w = overhead.perItem.wallMs;
		const c = overhead.perItem.cpuMs;
		const rw = overhead.ratios.wallMs;
		const rc = overhead.ratios.cpuMs;
		const title = `1. ${overhead.items} orders in n8n-core's ExecuteContext, ${overhead.rounds} interleaved rounds`;
		out.push([title, '', '', '', '']);
		const line = (label, key) => [
			label,
			`${f(w[key].median, 3)} ms (${spread(w[key], 3)})`,
			`${f(c[key].median, 3)} ms`,
			'',
			'',
		];
		out.push(line('Order Proxies `execute()`', 'node'));
		out.push(line('bare loop, same `httpRequestWithAuthentication`', 'helper'));
		out.push(line('raw `node:http`, keep-alive', 'raw'));
		out.push(line('raw `node:http`, new connection per request (as n8n-core)', 'rawNewConnection'));
		const conn = overhead.connectionsPerRequest;
		out.push([
			'TCP connections opened per request',
			`node ${f(conn.node, 0)}, bare loop ${f(conn.helper, 0)}, raw keep-alive ${f(conn.raw, 0)}`,
			'n8n-core builds an agent per request',
			'',
			'',
		]);
		// The direct ratio compares two ~1 ms loops on a shared machine, where two loops doing the
		// same work can differ by several percent (the noise check below). The node's own work,
		// measured without the network, has far less noise: a miss says which of the two it is.
		const ownShare = rw.nodeOwnOverHelper.ofMedians;
		const direct = rw.nodeOverHelper.ofMedians <= GOALS.overhead;
		const own = 1 + ownShare <= GOALS.overhead;
		out.push([
			'node / bare loop: what the node adds',
			ratioText(rw.nodeOverHelper),
			ratioText(rc.nodeOverHelper),
			`<= ${GOALS.overhead}`,
			direct
				? 'met'
				: own
					? `**missed** (its own work alone: 1 + ${f(ownShare, 3)})`
					: verdict(false),
		]);
		out.push([
			"the node's own work: `execute()` with the HTTP call answering at once",
			`${f(w.nodeOwn.median * 1000, 0)} µs (${f(w.nodeOwn.p10 * 1000, 0)}–${f(w.nodeOwn.p90 * 1000, 0)}), ` +
				`${f(100 * rw.nodeOwnOverHelper.ofMedians, 1)} % of the bare loop`,
			`${f(c.nodeOwn.median * 1000, 0)} µs, ${f(100 * rc.nodeOwnOverHelper.ofMedians, 1)} %`,
			'info',
			'',
		]);
		out.push([
			'noise check: two bare loops doing nearly the same work (one is given the credential)',
			ratioText(rw.helperDecryptedOverHelper),
			ratioText(rc.helperDecryptedOverHelper),
			'~1',
			'',
		]);
		out.push([
			"bare loop / raw: what n8n-core's HTTP stack costs",
			ratioText(rw.helperOverRaw),
			ratioText(rc.helperOverRaw),
			'info',
			'',
		]);
		out.push(['node / raw', ratioText(rw.nodeOverRaw), ratioText(rc.nodeOverRaw), 'info', '']);
	}
	if (n8n) {
		const title = `2. real n8n ${n8n.n8nVersion}, ${n8n.items} items, ${n8n.runs} CLI runs × ${n8n.pairsPerRun} alternating pairs`;
		out.push([title, '', '', '', '']);
		const wm = n8n.warmPerItemMs;
		const cm = n8n.coldPerItemMs;
		for (const key of Object.keys(n8n.variants)) {
			out.push([
				key === 'httpRequest'
					? 'HTTP Request node, Header Auth, default options (sends all requests without waiting for answers)'
					: 'Order Proxies (one order after another)',
				`${f(wm[key].median, 3)} ms (${spread(wm[key], 3)})`,
				`cold: ${f(cm[key].median, 3)} ms`,
				'',
				'',
			]);
		}
		out.push([
			'Order Proxies / HTTP Request, warm',
			ratioText(n8n.ratios.warm),
			`cold: ${ratioText(n8n.ratios.cold)}`,
			`<= ${GOALS.n8n}`,
			verdict(n8n.ratios.warm.ofMedians <= GOALS.n8n),
		]);
	}
	if (load) {
		out.push([`3. load, ${load.processes} fresh processes`, '', '', '', '']);
		out.push([
			'`require` node + credential after `n8n-workflow`',
			`**${f(load.packageMs.median)} ms** (${spread(load.packageMs)})`,
			`n8n-workflow alone: ${f(load.n8nWorkflowMs.median, 0)} ms`,
			`< ${GOALS.loadMs} ms`,
			verdict(load.packageMs.median < GOALS.loadMs),
		]);
	}
	if (memory) {
		out.push([`4. memory, dry run, ${memory.repeats} runs per size`, '', '', '', '']);
		const sizes = memory.sizes;
		const held = sizes.map((n) => memory.bySize[n].heldBytesPerItem.median);
		const marginal =
			(held[held.length - 1] * sizes[sizes.length - 1] - held[0] * sizes[0]) /
			(sizes[sizes.length - 1] - sizes[0]);
		const { residue } = memory;
		// Flat: the heap held with the output grows no faster than N (bytes per item do not
		// rise with N), and runs leave nothing behind (under 1 % of the output per item).
		const flat =
			held[held.length - 1] <= 1.1 * Math.min(...held.slice(0, -1)) &&
			Math.abs(residue.bytesPerItem) < 0.01 * marginal &&
			memory.rememberedRuns === 0;
		out.push([
			`output held, bytes per item (N = ${sizes.join(', ')})`,
			held.map((b) => f(b, 0)).join(', '),
			`${f(marginal, 0)} bytes per extra item`,
			'',
			'',
		]);
		out.push([
			`heap left after ${residue.runs} runs of ${residue.itemsPerRun} items, outputs dropped`,
			`${f(residue.bytesPerItem, 2)} bytes per item (${f(residue.bytes / 1024, 0)} KiB in all)`,
			`runs remembered: ${memory.rememberedRuns}`,
			'flat',
			verdict(flat),
		]);
	}
	if (size) {
		out.push(['5. size', '', '', '', '']);
		out.push([
			'packed tarball',
			`**${f(size.tarballBytes / 1000, 1)} kB**`,
			`${size.fileCount} files, ${f(size.unpackedBytes / 1000, 1)} kB unpacked`,
			`< ${GOALS.tarballBytes / 1000} kB`,
			verdict(size.tarballBytes < GOALS.tarballBytes),
		]);
	}
	return out;
}

function table(results, facts) {
	const header = [
		'Measure',
		'Wall time per item: median (p10–p90), or ratio of medians',
		'CPU time per item (all threads of the process), or other',
		'Goal',
		'Result',
	];
	const lines = [
		`Ran \`${facts.command}\` on ${facts.date.slice(0, 10)}: Node ${facts.node}, ${facts.cpus} × ${facts.cpuModel}, ` +
			`${facts.memoryGiB} GiB, load average ${facts.loadAverage[0]} at the start and ${facts.loadAverageAfter[0]} at the end (shared machine)` +
			(facts.commit ? `, commit ${facts.commit}` : '') +
			'.',
		'',
		`| ${header.join(' | ')} |`,
		`|${header.map(() => '---').join('|')}|`,
	];
	for (const row of rows(results)) {
		lines.push(
			row[1] === '' && row[2] === '' ? `| *${row[0]}* | | | | |` : `| ${row.join(' | ')} |`,
		);
	}
	return lines.join('\n');
}

async function main() {
	const wanted = process.argv.slice(2).filter((arg) => PARTS.includes(arg));
	const parts = wanted.length ? wanted : PARTS;
	const facts = machine();
	const results = {};
	for (const part of parts) {
		const started = Date.now();
		process.stderr.write(`bench: ${part}...\n`);
		results[part] = await runPart(part);
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
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
