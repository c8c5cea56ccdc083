import type { IExecuteFunctions } from 'n8n-workflow';

import type { Words } from './outcomes';

/**
 * What a run has done, written where a person can still find it after n8n's Stop button:
 * n8n stores a stopped execution without its run data, so neither its output nor its error
 * survives. Each result and each unknown outcome is logged as it happens (one line each; the
 * key never appears: messages are built without it), and summed up in the execution's custom
 * data, which n8n keeps for a stopped execution too.
 */
export interface Journal {
	done(item: number, id: string): void;
	unknown(item: number, message: string): void;
}

/** n8n allows 10 custom data keys per execution, 255 characters each. */
const MAX_VALUE = 255;

export function journal(ctx: IExecuteFunctions, words: Words): Journal {
	const node = ctx.getNode().name;
	const where = { executionId: ctx.getExecutionId(), workflowId: ctx.getWorkflow().id, node };
	const logger = (ctx as Partial<Pick<IExecuteFunctions, 'logger'>>).logger;
	// n8n 1.x gives nodes no `this.customData`; its expressions' $execution has the same object.
	const customData =
		(ctx as Partial<Pick<IExecuteFunctions, 'customData'>>).customData ??
		(ctx.getWorkflowDataProxy(0).$execution as { customData?: IExecuteFunctions['customData'] })
			.customData;
	const about = (item: number) =>
		`(node "${node}", item ${item}, execution ${where.executionId ?? 'unsaved'})`;

	/** Appends to a custom data value; a full value says where the rest is. */
	const note = (key: string, entry: string) => {
		try {
			const before = customData?.get(key);
			const value = before ? `${before}; ${entry}` : entry;
			customData?.set(
				key,
				value.length <= MAX_VALUE
					? value
					: `${value.slice(0, MAX_VALUE - 24)}... (more in n8n's log)`,
			);
		} catch {
			// Custom data is a courtesy: the log has every line.
		}
	};

	return {
		done(item, id) {
			logger?.info(`StatProxies: ${words.logDone(id)} ${about(item)}`, where);
			note(`statproxies_${words.done}`, `${node} item ${item}: ${id}`);
		},
		unknown(item, message) {
			logger?.warn(`StatProxies: outcome unknown, ${message} ${about(item)}`, where);
			note('statproxies_unknown', `${node} item ${item}: may have been ${words.bought}`);
		},
	};
}
