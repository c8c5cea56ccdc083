import {
	ICredentialsHelper,
	isExpression,
	type ICredentialDataDecryptedObject,
	type ICredentials,
	type IHttpRequestOptions,
	type INode,
	type INodeCredentialsDetails,
	type INodeProperties,
	type Workflow,
} from 'n8n-workflow';

import { StatProxiesApi } from '../../credentials/StatProxiesApi.credentials';

export const credentialType = new StatProxiesApi();

/**
 * The part of n8n's own CredentialsHelper (packages/cli) that a node execution touches:
 * it hands out the stored credential data and applies the credential type's declarative
 * `authenticate` block by evaluating its expressions with n8n's real expression engine.
 * n8n-core leaves this piece to the host application, so the tests are that host.
 */
export class TestCredentialsHelper extends ICredentialsHelper {
	constructor(private readonly store: Map<string, ICredentialDataDecryptedObject>) {
		super();
	}

	async getDecrypted(
		_additionalData: unknown,
		nodeCredentials: INodeCredentialsDetails,
	): Promise<ICredentialDataDecryptedObject> {
		const data = nodeCredentials.id ? this.store.get(nodeCredentials.id) : undefined;
		if (!data) throw new Error(`Credential ${nodeCredentials.id} not found`);
		return { ...data };
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		requestOptions: IHttpRequestOptions,
		workflow?: Workflow,
		node?: INode,
	): Promise<IHttpRequestOptions> {
		if (typeName !== credentialType.name) throw new Error(`Unknown credential type ${typeName}`);
		if (!workflow || !node) throw new Error('authenticate needs the workflow and the node');
		const resolve = (value: string) =>
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
		for (const [target, entries] of Object.entries(credentialType.authenticate.properties)) {
			const bag = ((requestOptions as unknown as Record<string, Record<string, unknown>>)[
				target
			] ??= {});
			for (const [key, value] of Object.entries(entries as Record<string, string>)) {
				bag[resolve(key)] = resolve(value);
			}
		}
		return requestOptions;
	}

	async preAuthentication() {
		return undefined;
	}

	async runPreAuthentication() {
		return undefined;
	}

	getParentTypes(): string[] {
		return [];
	}

	isCredentialUsableByNode(): boolean {
		return true;
	}

	async getCredentials(): Promise<ICredentials> {
		throw new Error('not used by these tests');
	}

	async updateCredentials(): Promise<void> {}

	async updateCredentialsOauthTokenData(): Promise<void> {}

	getCredentialsProperties(): INodeProperties[] {
		return credentialType.properties;
	}
}
