'use strict';
const { bootstrapMedian, bootstrapRatio } = require('./stats');
// What a bench run concludes, apart from how it is printed: each measure against its goal,
// read against its part's noise check. The table and the README's summary both read these
// verdicts, so the two cannot disagree.
const GOALS = {
	overhead: 1.05,
	n8n: 1.0,
	loadMs: 5,
	residueBytes: 64 * 1024,
	tarballBytes: 40 * 1000,
};

const f = (value, digits = 2) => (Number.isFinite(value) ? value.toFixed(digits) : 'n/a');
const pct = (x) => `${f(100 * x, 0)} %`;

/**
 * A measure against its goal (at most `goal`), read against its part's noise check. `noise` is
 * relative (0.04: 4 %), the larger of two things this run measured: how far two samples of
 * the very same work differ (an A/A check), and how far the measure itself could move by
 * chance (half its 90 % bootstrap interval). "met" when within the goal; "within noise" when
 * over it by no more than that noise (the run cannot tell); "missed" beyond it.
 */
function judge(value, goal, noise) {
	if (!Number.isFinite(value)) return 'n/a';
	if (value <= goal) return 'met';
	if (Number.isFinite(noise) && value <= goal * (1 + noise)) return `within noise (±${pct(noise)})`;
	return '**missed**';
}

/** The worst of several verdicts. */
function worst(...verdicts) {
	return (
		verdicts.find((v) => v.includes('missed')) ??
		verdicts.find((v) => v.startsWith('within noise')) ??
		verdicts.find((v) => v === 'n/a') ??
		'met'
	);
}

/** Part 4's verdict and what it rests on: the output held grows as N, and runs leave nothing. */
function memoryVerdict(memory) {
	const sizes = memory.sizes;
	const held = sizes.map((n) => memory.bySize[n].heldBytesPerItem.median);
	const marginal =
		(held[held.length - 1] * sizes[sizes.length - 1] - held[0] * sizes[0]) /
		(sizes[sizes.length - 1] - sizes[0]);
	// Noise of held: the widest spread of one N's repeats, relative to its median.
	const heldNoise = Math.max(
		...sizes.map((n) => {
			const s = memory.bySize[n].heldBytesPerItem;
			return (s.max - s.min) / s.median;
		}),
	);
	// Flat: bytes per item at the largest N at most 10 % over the smallest of the others.
	const rise = held[held.length - 1] / Math.min(...held.slice(0, -1));
	const growth = judge(rise, 1.1, heldNoise);
	// Nothing left: what twice the runs leave over what the runs leave, per extra item run, under
	// 1 % of the output per item; read against the same measure of the control (no node).
	const allowed = 0.01 * marginal;
	const leak = memory.residue.leakBytesPerItem;
	const controlPerItem = Math.abs(memory.control?.leakBytesPerItem ?? NaN);
	const left = judge(Math.abs(leak), allowed, controlPerItem / allowed);
	const remembered = memory.remembered ? memory.remembered.entries : null;
	const forgotten = remembered === null ? 'n/a' : remembered === 0 ? 'met' : '**missed**';
	return {
		held,
		marginal,
		heldNoise,
		rise,
		growth,
		allowed,
		leak,
		controlPerItem,
		left,
		remembered,
		forgotten,
	};
}

/** Every part's measures, verdicts and noise, for the table and the README's summary. */
function verdicts(results) {
	const { overhead, n8n, load, memory, size } = results;
	const out = {};
	if (overhead) {
		const rw = overhead.ratios.wallMs;
		const wall = (name) => overhead.samples[name].map((sample) => sample.wallMs);
		const aa = Math.abs(rw.helperAgainOverHelper.ofMedians - 1);
		const interval = bootstrapRatio(wall('node'), wall('helper'));
		const noise = Math.max(aa, interval.relativeHalfWidth);
		// The same goal read on the node's own work (no network, far less noise): 1 + its share
		// of the bare loop. The share's relative noise is the larger of its own interval and the
		// bare loop's A/A check (its denominator); in 1 + share it weighs share / (1 + share).
		const own = rw.nodeOwnOverHelper.ofMedians;
		const ownInterval = bootstrapRatio(wall('nodeOwn'), wall('helper'));
		const ownNoise = (own * Math.max(aa, ownInterval.relativeHalfWidth)) / (1 + own);
		out.overhead = {
			value: rw.nodeOverHelper.ofMedians,
			own,
			ownUs: overhead.perItem.wallMs.nodeOwn.median * 1000,
			aa,
			interval,
			noise,
			verdict: judge(rw.nodeOverHelper.ofMedians, GOALS.overhead, noise),
			ownInterval,
			ownNoise,
			ownVerdict: judge(1 + own, GOALS.overhead, ownNoise),
		};
	}
	if (n8n) {
		const aa = n8n.noiseCheck ? n8n.noiseCheck.noise : NaN;
		const interval = bootstrapRatio(n8n.samples.warm.orderProxies, n8n.samples.warm.httpRequest);
		const noise = Math.max(aa, interval.relativeHalfWidth);
		out.n8n = {
			value: n8n.ratios.warm.ofMedians,
			aa,
			interval,
			noise,
			verdict: judge(n8n.ratios.warm.ofMedians, GOALS.n8n, noise),
		};
	}
	if (load) {
		const aa = load.noiseCheck ? load.noiseCheck.noise : NaN;
		const interval = load.samples ? bootstrapMedian(load.samples) : { relativeHalfWidth: NaN };
		const noise = Math.max(aa, interval.relativeHalfWidth);
		out.load = {
			value: load.packageMs.median,
			aa,
			interval,
			noise,
			verdict: judge(load.packageMs.median, GOALS.loadMs, noise),
		};
	}
	if (memory) {
		const m = memoryVerdict(memory);
		out.memory = { ...m, verdict: worst(m.growth, m.left, m.forgotten) };
	}
	if (size) {
		const noise = size.noiseCheck ? size.noiseCheck.noise : NaN;
		out.size = {
			value: size.tarballBytes,
			noise,
			verdict: judge(size.tarballBytes, GOALS.tarballBytes, noise),
		};
	}
	return out;
}

module.exports = { GOALS, f, pct, judge, verdicts };
