'use strict';
// One n8n user folder set up as a user would have it: this package packed and installed the
// n8n way, a StatProxies credential pointing at the sandbox, a Mattermost credential pointing
// at the local stand-in, and the examples imported as they are. Shared by the e2e suite,
// `npm start` and the browser test.
const fs = require('node:fs');
const path = require('node:path');
const n8nLib = require('./n8n');
const fixtures = require('./fixtures');

const REPO_DIR = path.join(__dirname, '..');
const EXAMPLES_DIR = path.join(REPO_DIR, 'examples');
/** The owner account of these local, throwaway instances (printed by `npm start`). */
const OWNER = {
	email: 'owner@statproxies.local',
	password: 'Sandbox-owner-1',
	firstName: 'Sandbox',
	lastName: 'Owner',
};

function loadExamples() {
	return fs
		.readdirSync(EXAMPLES_DIR)
		.filter((file) => file.endsWith('.json'))
		.sort()
		.map((file) => JSON.parse(fs.readFileSync(path.join(EXAMPLES_DIR, file), 'utf8')));
}

/**
 * The order ids the examples list for the user to replace (the weekly rotation's Code node):
 * orders the user's account already has, which the sandbox must know to exchange them.
 */
function exampleOrderIds(examples) {
	const ids = examples.flatMap((workflow) =>
		workflow.nodes
			.filter((node) => node.type === 'n8n-nodes-base.code')
			.flatMap((node) => String(node.parameters.jsCode).match(/\bsub_[a-z0-9]+\b/g) || []),
	);
	return [...new Set(ids)];
}

/** Builds this package in a staging copy (unless `build` is false) and packs it. */
function buildAndPack({ build = true, log = () => {} } = {}) {
	if (process.env.LAB_TARBALL) {
		log(`Using the tarball in LAB_TARBALL: ${process.env.LAB_TARBALL}`);
		return Promise.resolve(process.env.LAB_TARBALL);
	}
	return n8nLib.buildAndPack(REPO_DIR, { build, sourceDirs: ['nodes', 'credentials'], log });
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
			fixtures.statProxiesCredential(fixtures.SANDBOX_CREDENTIAL, {
				apiKey: sandbox.keys.full,
				baseUrl: sandbox.url,
			}),
			fixtures.mattermostCredential(fixtures.MATTERMOST_CREDENTIAL, { baseUrl: mattermost.url }),
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
	OWNER,
	loadExamples,
	exampleOrderIds,
	buildAndPack,
	prepareLocalInstance,
};
