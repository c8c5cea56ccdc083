'use strict';
const { GOALS, f, pct, judge, verdicts } = require('./verdicts');
// The Markdown table `npm run bench` prints and writes into docs/performance.md: one row per
// measure, with its goal and a verdict ("met", "within noise", "missed").
const spread = (s, digits = 2) => `${f(s.p10, digits)}–${f(s.p90, digits)}`;
const ratioText = (r) => `**${f(r.ofMedians)}** (paired ${spread(r.paired)})`;
const interval = (i, unit = '') =>
	Number.isFinite(i.low) ? `90 % interval ${f(i.low)}–${f(i.high)}${unit}` : 'no interval';

function rows(results, facts = {}) {
	const out = [];
	// Each part's header says the load average it ran at (1-min, at its start and its end).
	const loads = facts.parts || {};
	const at = (part) =>
		loads[part] ? `, load average ${loads[part].loadBefore} → ${loads[part].loadAfter}` : '';
	const v = verdicts(results);
	const { overhead, n8n, load, memory, size } = results;
	if (overhead) {
		const w = overhead.perItem.wallMs;
		const c = overhead.perItem.cpuMs;
		const rw = overhead.ratios.wallMs;
		const rc = overhead.ratios.cpuMs;
		const title = `1. ${overhead.items} orders in n8n-core's ExecuteContext, ${overhead.rounds} interleaved rounds${at('overhead')}`;
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
		out.push([
			'noise check: the bare loop twice, the very same work; 90 % interval of node / bare loop',
			`${ratioText(rw.helperAgainOverHelper)}; ${interval(v.overhead.interval)}`,
			ratioText(rc.helperAgainOverHelper),
			'~1',
			`noise ±${pct(v.overhead.noise)}`,
		]);
		// The direct ratio compares two ~1 ms loops on a shared machine. The node's own work,
		// measured without the network, has far less noise: a verdict other than "met" says
		// what that part alone is.
		out.push([
			'node / bare loop: what the node adds',
			ratioText(rw.nodeOverHelper),
			ratioText(rc.nodeOverHelper),
			`<= ${GOALS.overhead}`,
			v.overhead.verdict,
		]);
		out.push([
			"the node's own work: `execute()` with the HTTP call answering at once, as 1 + its share of the bare loop",
			`${f(w.nodeOwn.median * 1000, 0)} µs (${f(w.nodeOwn.p10 * 1000, 0)}–${f(w.nodeOwn.p90 * 1000, 0)}), ` +
				`**1 + ${f(v.overhead.own, 3)}** (${interval({ low: 1 + v.overhead.ownInterval.low, high: 1 + v.overhead.ownInterval.high })})`,
			`${f(c.nodeOwn.median * 1000, 0)} µs, ${f(100 * rc.nodeOwnOverHelper.ofMedians, 1)} %`,
			`<= ${GOALS.overhead} (noise ±${pct(v.overhead.ownNoise)})`,
			v.overhead.ownVerdict,
		]);
		out.push([
			'bare loop given the credential already read (what n8n re-reading it costs)',
			ratioText(rw.helperDecryptedOverHelper),
			ratioText(rc.helperDecryptedOverHelper),
			'info',
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
		const title = `2. real n8n ${n8n.n8nVersion}, ${n8n.items} items, ${n8n.runs} CLI runs × ${n8n.pairsPerRun} alternating pairs${at('n8n')}`;
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
		if (n8n.noiseCheck) {
			const r = n8n.noiseCheck.ratios;
			out.push([
				'noise check: each node against itself, warm pairs 2 and 4 / pair 3; 90 % interval of the ratio below',
				`Order Proxies **${f(r.orderProxies)}**, HTTP Request **${f(r.httpRequest)}**; ${interval(v.n8n.interval)}`,
				'',
				'~1',
				`noise ±${pct(v.n8n.noise)}`,
			]);
		}
		out.push([
			'Order Proxies / HTTP Request, warm',
			ratioText(n8n.ratios.warm),
			`cold: ${ratioText(n8n.ratios.cold)}`,
			`<= ${GOALS.n8n}`,
			v.n8n.verdict,
		]);
	}
	if (load) {
		out.push([`3. load, ${load.processes} fresh processes${at('load')}`, '', '', '', '']);
		if (load.noiseCheck) {
			out.push([
				'noise check: odd / even processes; wall time beyond CPU time (waiting for the CPU); 90 % interval of the median',
				`**${f(load.noiseCheck.ratio)}**; waited ${pct(load.noiseCheck.waited)}; ${interval(v.load.interval, ' ms')}`,
				'',
				'~1; ~0 %',
				`noise ±${pct(v.load.noise)}`,
			]);
		}
		out.push([
			'`require` node + credential after `n8n-workflow`',
			`**${f(load.packageMs.median)} ms** (${spread(load.packageMs)})`,
			`${load.packageCpuMs ? `CPU ${f(load.packageCpuMs.median)} ms; ` : ''}n8n-workflow alone: ${f(load.n8nWorkflowMs.median, 0)} ms`,
			`< ${GOALS.loadMs} ms`,
			v.load.verdict,
		]);
	}
	if (memory) {
		const m = v.memory;
		out.push([
			`4. memory, dry run, ${memory.repeats} runs per size${at('memory')}`,
			'',
			'',
			'',
			'',
		]);
		out.push([
			`output held, bytes per item (N = ${memory.sizes.join(', ')})`,
			m.held.map((b) => f(b, 0)).join(', '),
			`${f(m.marginal, 0)} bytes per extra item; largest N / smallest other ${f(m.rise)}`,
			'<= 1.1',
			m.growth,
		]);
		out.push([
			'noise check: spread of the repeats of one N (widest), relative to its median',
			`±${pct(m.heldNoise)}`,
			'',
			'',
			'',
		]);
		const r = memory.residue;
		out.push([
			`heap left after ${r.runs} and ${2 * r.runs} runs of ${r.itemsPerRun} items, outputs dropped: the leak per extra item run`,
			`**${f(m.leak, 2)} bytes** (${f(r.bytes / 1024, 0)} KiB, then ${f(r.bytesTwice / 1024, 0)} KiB in all)`,
			`items remembered after the runs: ${m.remembered ?? 'n/a'} (${m.forgotten})`,
			`< ${f(m.allowed, 1)} bytes (1 % of the output)`,
			m.left,
		]);
		out.push([
			'noise check: the same runs building the same output without the node',
			`${f(memory.control.leakBytesPerItem, 2)} bytes per extra item run`,
			'',
			'~0',
			'',
		]);
		out.push(['memory, all three checks', '', '', 'flat', m.verdict]);
	}
	if (size) {
		out.push([`5. size${at('size')}`, '', '', '', '']);
		out.push([
			'packed tarball (`npm pack`, README included)',
			`**${f(size.tarballBytes / 1000, 1)} kB**`,
			`${size.fileCount} files, ${f(size.unpackedBytes / 1000, 1)} kB unpacked`,
			`< ${GOALS.tarballBytes / 1000} kB`,
			v.size.verdict,
		]);
		if (size.noiseCheck) {
			out.push([
				'noise check: packed twice',
				size.noiseCheck.packs.map((b) => `${b} bytes`).join(', '),
				'',
				'equal',
				`noise ±${pct(v.size.noise)}`,
			]);
		}
	}
	return out;
}

/** The README's Performance summary: one sentence per part, its verdict, and where it came from. */
function summary(results, facts) {
	const v = verdicts(results);
	const { overhead, n8n, load, size } = results;
	const parts = [];
	if (overhead)
		parts.push(
			`the node's own work is ${f(v.overhead.ownUs, 0)} µs per order, ${f(100 * v.overhead.own, 1)} % of a request ` +
				`through n8n-core (goal <= 5 %: ${v.overhead.ownVerdict}; node / bare loop ${f(v.overhead.value)}, goal <= ${GOALS.overhead}: ${v.overhead.verdict})`,
		);
	if (n8n)
		parts.push(
			`in n8n ${n8n.n8nVersion}, ${n8n.items} orders take ${f(v.n8n.value)} times the HTTP Request node's time ` +
				`per item (goal <= ${GOALS.n8n}: ${v.n8n.verdict})`,
		);
	if (load)
		parts.push(
			`loading takes ${f(v.load.value)} ms (goal < ${GOALS.loadMs} ms: ${v.load.verdict})`,
		);
	if (results.memory)
		parts.push(
			`memory grows with the output only and runs leave ${f(v.memory.leak, 2)} bytes per item behind (goal: flat, ${v.memory.verdict})`,
		);
	if (size)
		parts.push(
			`the tarball is ${f(size.tarballBytes / 1000, 1)} kB (goal < ${GOALS.tarballBytes / 1000} kB: ${v.size.verdict})`,
		);
	return (
		`Measured by \`${facts.command}\` on ${facts.date.slice(0, 10)}, commit ${facts.commit ?? 'unknown'}, ` +
		`${facts.cpus} × ${facts.cpuModel}, load average ${facts.loadAverage[0]} at the start and ${facts.loadAverageAfter?.[0]} at the end: ` +
		`${parts.join('; ')}.`
	);
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
	for (const row of rows(results, facts)) {
		lines.push(
			row.slice(1).every((cell) => cell === '')
				? `| *${row[0]}* | | | | |`
				: `| ${row.join(' | ')} |`,
		);
	}
	return lines.join('\n');
}

module.exports = { GOALS, table, summary, judge, verdicts };
