'use strict';
// Part 5: size. What `npm pack` would publish (nothing is written): the tarball's bytes, and
// the files in it by size. Prints one JSON object on stdout.
const { execFileSync } = require('node:child_process');
const { ROOT } = require('../lib/context');
const { cleanEnv } = require('../../lab/n8n');

function main() {
	const [pack] = JSON.parse(
		execFileSync('npm', ['pack', '--dry-run', '--json', '--loglevel=error'], {
			cwd: ROOT,
			env: cleanEnv(),
			encoding: 'utf8',
		}),
	);
	console.log(
		JSON.stringify({
			name: pack.id,
			tarballBytes: pack.size,
			unpackedBytes: pack.unpackedSize,
			fileCount: pack.entryCount,
			largestFiles: [...pack.files]
				.sort((a, b) => b.size - a.size)
				.slice(0, 5)
				.map((f) => ({ path: f.path, bytes: f.size })),
		}),
	);
}

main();
