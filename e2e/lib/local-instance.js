'use strict';
// One n8n user folder set up as a user would have it: the packed package installed the n8n
// way, a StatProxies credential pointing at the sandbox, a Mattermost credential pointing at
// the local listener, and the examples imported as they are. Shared by the e2e suite and
// `npm start`.
const fs = require('node:fs');
const path = require('node:path');
const n8nLib = require('./n8n');
const { runOrThrow } = require('./processes');

const REPO_DIR = path.join(__dirname, '..', '..');
const EXAMPLES_DIR = path.join(REPO_DIR, 'examples');

// The ids and names the examples refer to.
const SANDBOX_CREDENTIAL = { id: 'spSandboxCred', name: 'StatProxies sandbox' };
const MATTERMOST_CREDENTIAL = { id: 'spMattermostCred', name: 'Team Mattermost' };

function loadExamples() {
	return fs
		.readdirSync(EXAMPLES_DIR)
		.filter((file) => file.endsWith('.json'))
		.sort()
		.map((file) => JSON.parse(fs.readFileSync(path.join(EXAMPLES_DIR, file), 'utf8')));
}

function sandboxCredential(sandbox, apiKey = sandbox.keys.full, ref = SANDBOX_CREDENTIAL) {
	return { ...ref, type: 'statProxiesApi', data: { apiKey, baseUrl: sandbox.url } };
}

function mattermostCredential(mattermost) {
	return {
		...MATTERMOST_CREDENTIAL,
		type: 'mattermostApi',
		data: {
			accessToken: 'local-listener-token',
			baseUrl: mattermost.url,
			allowUnauthorizedCerts: false,
		},
	};
}

/** Builds the package (unless `build` is false), packs it and returns the tarball path. */
async function buildAndPack({ build = true, log = () => {} } = {}) {
	if (build) {
		log('Building the package (npm run build)...');
		await runOrThrow('npm', ['run', 'build'], {
			cwd: REPO_DIR,
			env: n8nLib.cleanEnv(),
			timeoutMs: 5 * 60000,
		});
	}
	return n8nLib.packPackage(REPO_DIR);
}

/**
 * A fresh user folder with the package, both credentials and the examples.
 * @returns {Promise<{ folder, installed, examples }>}
 */
async function prepareLocalInstance({ n8n, tarball, sandbox, mattermost, extraCredentials = [] }) {
	const folder = await n8nLib.newUserFolder(n8n);
	try {
		const installed = await n8nLib.installPackageLikeN8n(tarball, folder);
		await n8nLib.importCredentials(folder, [
			sandboxCredential(sandbox),
			mattermostCredential(mattermost),
			...extraCredentials,
		]);
		const examples = loadExamples();
		await n8nLib.importWorkflows(folder, examples);
		return { folder, installed, examples };
	} catch (error) {
		n8nLib.removeUserFolder(folder);
		throw error;
	}
}

module.exports = {
	REPO_DIR,
	SANDBOX_CREDENTIAL,
	MATTERMOST_CREDENTIAL,
	loadExamples,
	sandboxCredential,
	mattermostCredential,
	buildAndPack,
	prepareLocalInstance,
};
