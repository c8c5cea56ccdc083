'use strict';
// Part 5: size. What `npm pack` would publish (nothing is written): the tarball's bytes, and
// the files in it by size, packed twice as its noise check. Prints one JSON object on stdout.
const { execFileSync } = require('node:child_process');
const { ROOT } = require('../lib/context');
const { cleanEnv } = require('../../lab/n8n');

function pack() {
	return JSON.parse(
		execFileSync('npm', ['pack', '--dry-run', '--json', '--loglevel=error'], {
			cwd: ROOT,
			env: cleanEnv(),
			encoding: 'utf8',
		}),
	)[0];
}

function main() {
	// Noise check: pack twice. npm packs deterministically, so both must weigh the same.
	const [first, again] = [pack(), pack()];
	console.log(
		JSON.stringify({
			name: first.id,
			tarballBytes: first.size,
			noiseCheck: {
				packs: [first.size, again.size],
				noise: Math.abs(again.size - first.size) / first.size,
			},
			unpackedBytes: first.unpackedSize,
			fileCount: first.entryCount,
			largestFiles: [...first.files]
				.sort((a, b) => b.size - a.size)
				.slice(0, 5)
				.map((f) => ({ path: f.path, bytes: f.size })),
		}),
	);
}

main();
