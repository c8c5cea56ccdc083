import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypes,
	IVersionedNodeType,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { ExchangeProxies } from '../../nodes/ExchangeProxies/ExchangeProxies.node';
import { OrderProxies } from '../../nodes/OrderProxies/OrderProxies.node';

export const ORDER_PROXIES_TYPE = 'n8n-nodes-statproxies.orderProxies';
/** The tool variant n8n derives for AI agents (`usableAsTool`): same node, type name + "Tool". */
export const ORDER_PROXIES_TOOL_TYPE = `${ORDER_PROXIES_TYPE}Tool`;
export const EXCHANGE_PROXIES_TYPE = 'n8n-nodes-statproxies.exchangeProxies';
export const SINK_TYPE = 'test.sink';

/** A downstream node that passes its input on, so tests can see what reached it. */
class Sink implements INodeType {
	description = {
		displayName: 'Sink',
		name: 'sink',
		group: ['transform'],
		version: 1,
		description: 'Receives items',
		defaults: { name: 'Sink' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [],
	} as INodeType['description'];

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return [this.getInputData()];
	}
}

const types: Record<string, INodeType> = {
	[ORDER_PROXIES_TYPE]: new OrderProxies(),
	[ORDER_PROXIES_TOOL_TYPE]: new OrderProxies(),
	[EXCHANGE_PROXIES_TYPE]: new ExchangeProxies(),
	[`${EXCHANGE_PROXIES_TYPE}Tool`]: new ExchangeProxies(),
	[SINK_TYPE]: new Sink(),
};

export const nodeTypes: INodeTypes = {
	getByName: (name) => types[name] as INodeType | IVersionedNodeType,
	getByNameAndVersion: (name) => types[name],
	getKnownTypes: () => ({}),
};
