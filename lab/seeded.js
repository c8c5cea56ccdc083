'use strict';
// One repeatable random sequence for everything measured or simulated here (the bench's
// bootstrap, the key claim's simulation): a run repeats from its seed.

/** A pseudo-random sequence in [0, 1) from `seed` (mulberry32). */
function seeded(seed) {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

module.exports = { seeded };
