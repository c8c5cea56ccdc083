import { ExecuteContext, RoutingNode } from 'n8n-core';
import {
	createRunExecutionData,
	Workflow,
	type INode,
	type INodeType,
	type INodeTypes,
} from 'n8n-workflow';

import { runCredentialTest } from './credentialRules';
import { additionalData, CREDENTIAL, credentialType, type StatProxiesCredential } from './n8n';

let tests = 0;

export type CredentialTestResult = { status: 'OK' | 'Error'; message: string };

/**
 * Runs the credential's test request the way n8n's credential tester does: as a throwaway
 * declarative node executed by n8n-core's RoutingNode inside an ExecuteContext, then the
 * credential type's rules read by a copy of the tester's own code (./credentialRules.js): a
 * status rule when the request threw, the body rules when it answered. Like n8n's tester it
 * rejects (a TypeError) when body rules meet an answer that made no item (an empty JSON list).
 */
export async function testCredential(
	credential: StatProxiesCredential,
): Promise<CredentialTestResult> {
	const test = credentialType.test;
	const node: INode = {
		id: 'temp',
		name: 'Temp-Node',
		type: 'test.credentialTest',
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
		credentials: { [credentialType.name]: CREDENTIAL },
	};
	const nodeType: INodeType = {
		description: {
			displayName: 'Credential test',
			name: 'credentialTest',
			group: ['transform'],
			version: 1,
			description: '',
			defaults: {},
			inputs: ['main'],
			outputs: ['main'],
			credentials: [{ name: credentialType.name, required: true }],
			properties: [
				{
					displayName: 'Temp',
					name: 'temp',
					type: 'string',
					default: '',
					routing: { request: test.request },
				},
			],
		},
	} as INodeType;
	const types: INodeTypes = {
		getByName: () => nodeType,
		getByNameAndVersion: () => nodeType,
		getKnownTypes: () => ({}),
	};
	const workflow = new Workflow({
		nodes: [node],
		connections: {},
		active: false,
		nodeTypes: types,
	});
	const inputData = { main: [[{ json: {} }]] };
	const context = new ExecuteContext(
		workflow,
		node,
		additionalData(credential, `credential-test-${++tests}`, workflow, 'internal'),
		'internal',
		createRunExecutionData(),
		0,
		[],
		inputData,
		{ node, data: inputData, source: null },
		[],
	);
	const routingNode = new RoutingNode(context, nodeType, {
		id: CREDENTIAL.id,
		name: CREDENTIAL.name,
		type: credentialType.name,
		data: { ...credential },
	});
	return (await runCredentialTest(
		async () => await routingNode.runNode(),
		test,
	)) as CredentialTestResult;
}
