/**
 * Runs a polling trigger the way n8n's ActiveWorkflows does: n8n-core's real PollContext and
 * TriggersAndPollers.runPoll on one long-lived Workflow object, with the package's credential
 * doing the signing. Static data is "saved" at the points n8n saves it (after activation and
 * whenever a poll hands items over), so a test can restart from what n8n would have in its
 * database and see what a crash or a failing poll leaves behind.
 */
import { PollContext } from 'n8n-core';
// Not re-exported from the package root; ActiveWorkflows runs every poll through it.
import { TriggersAndPollers } from 'n8n-core/dist/execution-engine/triggers-and-pollers';
import {
	Workflow,
	type ICredentialDataDecryptedObject,
	type IDataObject,
	type INode,
	type INodeExecutionData,
	type IWorkflowExecuteAdditionalData,
	type WorkflowExecuteMode,
} from 'n8n-workflow';

import { baseAdditionalData, fullType, TestNodeTypes } from './engine';

export interface PollHarnessOptions {
	type: string;
	parameters: IDataObject;
	credentials: Record<string, ICredentialDataDecryptedObject>;
	/** What n8n has in its database for the workflow (default: nothing yet). */
	savedStaticData?: IDataObject;
}

export type PollResult =
	| { ok: true; items: INodeExecutionData[] }
	| { ok: false; error: Error & { description?: string } };

function clone<T>(value: T): T {
	return JSON.parse(JSON.stringify(value)) as T;
}

export class PollHarness {
	readonly node: INode;

	private workflow!: Workflow;

	private readonly nodeTypes = new TestNodeTypes();

	/** Static data as n8n last saved it. */
	saved: IDataObject;

	constructor(private readonly options: PollHarnessOptions) {
		const type = fullType(options.type);
		this.node = {
			id: 'poll-node',
			name: 'Trigger',
			type,
			typeVersion: this.nodeTypes.getByName(type).description.version as number,
			position: [0, 0],
			parameters: {
				pollTimes: { item: [{ mode: 'everyHour' }] },
				...options.parameters,
			} as INode['parameters'],
			credentials: { alibabaCloudAccessKeyApi: { id: '1', name: 'Test' } },
		};
		this.saved = clone(options.savedStaticData ?? {});
		this.restart();
	}

	/** A new Workflow from the saved static data, as n8n builds one after a restart. */
	restart(): void {
		this.workflow = new Workflow({
			id: 'poll-workflow',
			name: 'Poll test',
			nodes: [this.node],
			connections: {},
			nodeTypes: this.nodeTypes,
			active: true,
			staticData: clone(this.saved),
			settings: { executionOrder: 'v1' },
		});
	}

	/** The node's static data as the running workflow holds it (saved or not). */
	liveNodeData(): IDataObject {
		return this.workflow.getStaticData('node', this.node);
	}

	private additionalData(): IWorkflowExecuteAdditionalData {
		return {
			...baseAdditionalData(this.options.credentials),
			executionId: undefined,
		} as unknown as IWorkflowExecuteAdditionalData;
	}

	/**
	 * One scheduled poll. Like ActiveWorkflows: items returned are emitted (and n8n saves the
	 * static data right then); a throw goes to __emitError and nothing is saved.
	 */
	async poll(mode: WorkflowExecuteMode = 'trigger'): Promise<PollResult> {
		let emitted: INodeExecutionData[][] | undefined;
		let emittedError: Error | undefined;
		const context = new PollContext(
			this.workflow,
			this.node,
			this.additionalData(),
			mode,
			'activate',
			(data) => {
				emitted = data;
				if (mode !== 'manual') this.saveStaticData();
			},
			(error) => {
				emittedError = error;
			},
		);
		try {
			const response = await new TriggersAndPollers().runPoll(this.workflow, this.node, context);
			if (response !== null) context.__emit(response);
		} catch (error) {
			context.__emitError(error as Error);
		}
		if (emittedError) return { ok: false, error: emittedError as Error & { description?: string } };
		return { ok: true, items: emitted?.[0] ?? [] };
	}

	/** The first poll at activation: n8n saves static data after it whatever it returned. */
	async activate(): Promise<PollResult> {
		const result = await this.poll();
		if (result.ok) this.saveStaticData();
		return result;
	}

	private saveStaticData(): void {
		const data = this.workflow.staticData as IDataObject & { __dataChanged?: boolean };
		// WorkflowStaticDataService saves only when the observable says something changed.
		if (data.__dataChanged !== true) return;
		this.saved = clone(data);
		data.__dataChanged = false;
	}
}
