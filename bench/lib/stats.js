'use strict';
// Medians and spreads: the machines are shared and noisy, so no single time means much.
const { seeded } = require('../../lab/seeded');

function quantile(values, q) {
	const sorted = [...values].sort((a, b) => a - b);
	if (sorted.length === 0) return NaN;
	const pos = (sorted.length - 1) * q;
	const low = Math.floor(pos);
	const high = Math.ceil(pos);
	return sorted[low] + (sorted[high] - sorted[low]) * (pos - low);
}

/** { median, p10, p90, min, max, n } of `values`. */
function summarize(values) {
	return {
		median: quantile(values, 0.5),
		p10: quantile(values, 0.1),
		p90: quantile(values, 0.9),
		min: Math.min(...values),
		max: Math.max(...values),
		n: values.length,
	};
}

/** Ratio of medians, plus the spread of the per-round (paired) ratios. */
function ratio(numerator, denominator) {
	const paired = numerator.map((value, i) => value / denominator[i]);
	return {
		ofMedians: quantile(numerator, 0.5) / quantile(denominator, 0.5),
		paired: summarize(paired),
	};
}

/** Runs `variants` (name -> async () => measurement) for `rounds`, rotating the order each round. */
async function interleave(variants, rounds, { between = async () => {}, warmupRounds = 1 } = {}) {
	const names = Object.keys(variants);
	const samples = Object.fromEntries(names.map((name) => [name, []]));
	for (let round = -warmupRounds; round < rounds; round++) {
		const shift = ((round % names.length) + names.length) % names.length;
		const order = names.slice(shift).concat(names.slice(0, shift));
		for (const name of order) {
			await between();
			const value = await variants[name]();
			if (round >= 0) samples[name].push(value);
		}
	}
	return samples;
}

/**
 * How far `statistic` of these samples could move by chance: resamples the indices with
 * replacement `rounds` times (a bootstrap) and returns the 5th and 95th percentiles of
 * statistic(indices), and their half-distance relative to the statistic of all samples.
 */
function bootstrap(count, statistic, { rounds = 2000, seed = 1 } = {}) {
	const next = seeded(seed);
	const all = Array.from({ length: count }, (_, i) => i);
	const estimates = [];
	for (let r = 0; r < rounds; r++) {
		const picked = all.map(() => Math.floor(next() * count));
		estimates.push(statistic(picked));
	}
	const value = statistic(all);
	const low = quantile(estimates, 0.05);
	const high = quantile(estimates, 0.95);
	return { value, low, high, relativeHalfWidth: (high - low) / 2 / value };
}

/** The 90 % bootstrap interval of the ratio of medians of two paired series. */
function bootstrapRatio(numerator, denominator) {
	return bootstrap(numerator.length, (idx) => {
		const pick = (values) => idx.map((i) => values[i]);
		return quantile(pick(numerator), 0.5) / quantile(pick(denominator), 0.5);
	});
}

/** The 90 % bootstrap interval of the median of `values`. */
function bootstrapMedian(values) {
	return bootstrap(values.length, (idx) =>
		quantile(
			idx.map((i) => values[i]),
			0.5,
		),
	);
}

const ms = (start) => Number(process.hrtime.bigint() - start) / 1e6;

/**
 * Starts a stopwatch for wall time and for this process's CPU time (user + system). On a
 * shared machine CPU time is the steadier measure of the work a process does itself: waiting
 * for the CPU, or for the other side of a connection, does not count.
 */
function stopwatch() {
	const wall = process.hrtime.bigint();
	const cpu = process.cpuUsage();
	return (count = 1) => {
		const used = process.cpuUsage(cpu);
		return { wallMs: ms(wall) / count, cpuMs: (used.user + used.system) / 1000 / count };
	};
}

module.exports = {
	quantile,
	summarize,
	ratio,
	bootstrapRatio,
	bootstrapMedian,
	interleave,
	ms,
	stopwatch,
};
