'use strict';
// A community package as users get it: built, `npm pack`ed, then installed by the steps of
// n8n's own community package installer, with the tarball instead of a registry download.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { runOrThrow } = require('../processes');
const { cleanEnv } = require('./install');

const packDirs = new Set();
// Tarballs are only needed until installed: they go when the process ends, however it ends.
process.on('exit', () => {
	for (const dir of packDirs) fs.rmSync(dir, { recursive: true, force: true });
});

/**
 * Packs the package in `repoDir`; returns the tarball's path, in a temporary folder that is
 * removed when this process exits.
 */
async function packPackage(repoDir) {
	const dest = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-lab-pack-'));
	packDirs.add(dest);
	const { stdout } = await runOrThrow('npm', ['pack', '--json', '--pack-destination', dest], {
		cwd: repoDir,
		env: cleanEnv(),
	});
	const [{ filename }] = JSON.parse(stdout);
	return path.join(dest, filename);
}

/**
 * Builds the package of `repoDir` (`npm run build`) in a staging copy (its top-level files,
 * `sourceDirs`, and a link to its node_modules), then packs it: other jobs may run a build
 * (which first deletes dist/) in the clone at the same time. With `build: false`, packs the
 * clone as it is.
 */
async function buildAndPack(repoDir, { build = true, sourceDirs = [], log = () => {} } = {}) {
	if (!build) return packPackage(repoDir);
	const staging = fs.mkdtempSync(path.join(os.tmpdir(), 'lab-build-'));
	try {
		for (const entry of fs.readdirSync(repoDir, { withFileTypes: true })) {
			if (entry.isFile())
				fs.copyFileSync(path.join(repoDir, entry.name), path.join(staging, entry.name));
		}
		for (const dir of sourceDirs) {
			fs.cpSync(path.join(repoDir, dir), path.join(staging, dir), { recursive: true });
		}
		fs.symlinkSync(path.join(repoDir, 'node_modules'), path.join(staging, 'node_modules'), 'dir');
		log('Building the package (npm run build) in a staging copy...');
		await runOrThrow('npm', ['run', 'build'], {
			cwd: staging,
			env: cleanEnv(),
			timeoutMs: 5 * 60000,
		});
		return await packPackage(staging);
	} finally {
		fs.rmSync(staging, { recursive: true, force: true });
	}
}

/**
 * Repeats n8n 2.41's CommunityPackagesService.downloadPackage with a local tarball: extract
 * into <user folder>/.n8n/nodes/node_modules/<name>, drop dev/peer/optional dependencies,
 * `npm install` inside with n8n's flags, record it in nodes/package.json.
 */
async function installPackageLikeN8n(tarball, folder) {
	const nodesDir = path.join(folder.path, '.n8n', 'nodes');
	const staging = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-lab-unpack-'));
	await runOrThrow('tar', ['-xzf', tarball, '-C', staging, '--strip-components=1']);
	const manifestPath = path.join(staging, 'package.json');
	const manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8'));
	const { devDependencies, peerDependencies, optionalDependencies, ...kept } = manifest;
	fs.writeFileSync(manifestPath, JSON.stringify(kept, null, 2), 'utf8');

	const packageDir = path.join(nodesDir, 'node_modules', manifest.name);
	fs.mkdirSync(path.dirname(packageDir), { recursive: true });
	fs.rmSync(packageDir, { recursive: true, force: true });
	fs.cpSync(staging, packageDir, { recursive: true });
	fs.rmSync(staging, { recursive: true, force: true });

	await runOrThrow(
		'npm',
		[
			'install',
			'--audit=false',
			'--fund=false',
			'--bin-links=false',
			'--install-strategy=shallow',
			'--ignore-scripts=true',
			'--package-lock=false',
		],
		{ cwd: packageDir, env: folder.env(), timeoutMs: 10 * 60000 },
	);

	const listPath = path.join(nodesDir, 'package.json');
	const list = fs.existsSync(listPath)
		? JSON.parse(fs.readFileSync(listPath, 'utf8'))
		: { name: 'installed-nodes', private: true, dependencies: {} };
	list.dependencies[manifest.name] = manifest.version;
	fs.writeFileSync(listPath, JSON.stringify(list, null, 2), 'utf8');
	return { name: manifest.name, version: manifest.version, dir: packageDir };
}

module.exports = { buildAndPack, packPackage, installPackageLikeN8n };
