'use strict';
// Builds and packs the package the way CI and users get it, in a staging copy of the clone:
// other jobs may run `npm run build` (which first deletes dist/) in the clone at the same time.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { runOrThrow } = require('../e2e/lib/processes');
const { cleanEnv, packPackage } = require('../e2e/lib/n8n');

const REPO = path.join(__dirname, '..');
const SOURCE_DIRS = ['nodes', 'credentials'];

async function buildAndPack({ log = () => {} } = {}) {
	if (process.env.QUEUE_TARBALL) {
		log(`Using the tarball in QUEUE_TARBALL: ${process.env.QUEUE_TARBALL}`);
		return process.env.QUEUE_TARBALL;
	}
	const staging = fs.mkdtempSync(path.join(os.tmpdir(), 'statproxies-queue-build-'));
	for (const entry of fs.readdirSync(REPO, { withFileTypes: true })) {
		if (entry.isFile())
			fs.copyFileSync(path.join(REPO, entry.name), path.join(staging, entry.name));
	}
	for (const dir of SOURCE_DIRS) {
		fs.cpSync(path.join(REPO, dir), path.join(staging, dir), { recursive: true });
	}
	fs.symlinkSync(path.join(REPO, 'node_modules'), path.join(staging, 'node_modules'), 'dir');
	log('Building the package (npm run build) in a staging copy...');
	await runOrThrow('npm', ['run', 'build'], {
		cwd: staging,
		env: cleanEnv(),
		timeoutMs: 5 * 60000,
	});
	const tarball = await packPackage(staging);
	fs.rmSync(staging, { recursive: true, force: true });
	return tarball;
}

module.exports = { buildAndPack };
