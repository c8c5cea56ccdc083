'use strict';
// The part of n8n that n8n-core leaves to its host application, reduced to what running one
// node needs: stored credential data, the credential type's `authenticate` applied as n8n's
// CredentialsHelper (packages/cli) applies it, and the additional data an execution carries.
// Plain JS so that the jest suites (through ts-jest) and the benchmarks (against dist/) share
// one host; n8n's lint forbids none of this in .js files.
const { ExecutionLifecycleHooks } = require('n8n-core');
const { ICredentialsHelper, isExpression } = require('n8n-workflow');

class HostCredentialsHelper extends ICredentialsHelper {
	/**
	 * @param {Map<string, object>} store credential id -> decrypted data
	 * @param {import('n8n-workflow').ICredentialType} credentialType the one type the host knows
	 */
	constructor(store, credentialType) {
		super();
		this.store = store;
		this.credentialType = credentialType;
	}

	async getDecrypted(_additionalData, nodeCredentials) {
		const data = nodeCredentials.id ? this.store.get(nodeCredentials.id) : undefined;
		if (!data) throw new Error(`Credential ${nodeCredentials.id} not found`);
		return { ...data };
	}

	async authenticate(credentials, typeName, requestOptions, workflow, node) {
		if (typeName !== this.credentialType.name)
			throw new Error(`Unknown credential type ${typeName}`);
		const { authenticate } = this.credentialType;
		if (typeof authenticate === 'function') return await authenticate(credentials, requestOptions);
		if (!workflow || !node) throw new Error('authenticate needs the workflow and the node');
		// Each value of the generic block goes through n8n's real expression engine.
		const resolve = (value) =>
			isExpression(value)
				? String(
						workflow.expression.getSimpleParameterValue(
							node,
							value,
							'internal',
							{ $credentials: credentials },
							undefined,
							'',
						) ?? '',
					)
				: value;
		for (const [target, entries] of Object.entries(authenticate.properties)) {
			const bag = (requestOptions[target] ??= {});
			for (const [key, value] of Object.entries(entries)) bag[resolve(key)] = resolve(value);
		}
		return requestOptions;
	}

	async preAuthentication() {
		return undefined;
	}

	async runPreAuthentication() {
		return undefined;
	}

	getParentTypes() {
		return [];
	}

	isCredentialUsableByNode() {
		return true;
	}

	async getCredentials() {
		throw new Error('not used by this host');
	}

	async updateCredentials() {}

	async updateCredentialsOauthTokenData() {}

	getCredentialsProperties() {
		return this.credentialType.properties;
	}
}

const notUsed = async () => {
	throw new Error('not used by this host');
};

/**
 * The additional data of one execution (IWorkflowExecuteAdditionalData) whose only credential
 * is `credential` (decrypted data) stored under `credentialId`.
 */
function additionalData({
	credential,
	credentialId,
	credentialType,
	executionId,
	workflow,
	mode,
	rootExecutionMode,
}) {
	const workflowData = {
		id: workflow.id,
		name: workflow.name ?? 'test',
		active: false,
		activeVersionId: null,
		isArchived: false,
		nodes: Object.values(workflow.nodes),
		connections: workflow.connectionsBySourceNode,
		createdAt: new Date(),
		updatedAt: new Date(),
	};
	const urls = Object.fromEntries(
		[
			'formBaseUrl',
			'formWaitingBaseUrl',
			'formTestBaseUrl',
			'webhookBaseUrl',
			'webhookWaitingBaseUrl',
			'webhookTestBaseUrl',
			'mcpBaseUrl',
			'mcpTestBaseUrl',
		].map((name) => [name, `http://127.0.0.1:5678/${name}`]),
	);
	return {
		credentialsHelper: new HostCredentialsHelper(
			new Map([[credentialId, { ...credential }]]),
			credentialType,
		),
		hooks: new ExecutionLifecycleHooks(mode, executionId, workflowData),
		executionId,
		// Set by n8n for sub-workflows: the mode of the execution at the top of the chain.
		...(rootExecutionMode ? { rootExecutionMode } : {}),
		executeWorkflow: notUsed,
		getRunExecutionData: async () => undefined,
		getRuntimeCredential: async () => undefined,
		startRunnerTask: notUsed,
		logAiEvent: () => {},
		currentNodeExecutionIndex: 0,
		variables: {},
		restApiUrl: 'http://127.0.0.1:5678/rest',
		instanceBaseUrl: 'http://127.0.0.1:5678/',
		...urls,
	};
}

/**
 * Records what nodes log (`this.logger`, n8n-core's own copy of @n8n/backend-common's Logger,
 * asked of n8n-core's DI container) until the returned `stop()`: the host decides where n8n's
 * log goes, as n8n's CLI does.
 */
function recordLogs() {
	const paths = [require.resolve('n8n-core')];
	const { Container } = require(require.resolve('@n8n/di', { paths }));
	const { Logger } = require(require.resolve('@n8n/backend-common', { paths }));
	const before = Container.get(Logger);
	const lines = [];
	const recorder = {};
	for (const level of ['error', 'warn', 'info', 'debug']) {
		recorder[level] = (message) => lines.push({ level, message: String(message) });
	}
	recorder.scoped = () => recorder;
	Container.set(Logger, recorder);
	return { lines, stop: () => Container.set(Logger, before) };
}

module.exports = { additionalData, HostCredentialsHelper, recordLogs };
