import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	type IPairedItemData,
	type NodeError,
} from 'n8n-workflow';

import {
	AlibabaClient,
	DEFAULT_CONCURRENCY,
	RateLimiter,
	runItems,
	type RoaCall,
} from '../../../shared/transport';
import { type BodyOptions, buildRequestBody } from './body';
import { EmptyConversationError, readDialogue } from './dialogue';
import { type Analysis, skippedOutput, toOutput } from './output';
import { outputProperties } from './output.properties';
import { place, type Placement, readPlacement } from './placement';
import { analysisProperties } from './analysis.properties';
import { dialogueProperties } from './dialogue.properties';
import {
	DEFAULT_MAX_DIALOGUE_CHARACTERS,
	DEFAULT_TIMEOUT_SECONDS,
	optionsProperties,
} from './options.properties';
import { finishReasonOf, readAnalysisStream } from './stream';
import { CONCURRENCY_RULE, TIMEOUT_RULE } from '../../../shared/options/limitOptions';
import { numericOption } from '../../../shared/options/numericOption';
import { withFixedParameters } from '../../../shared/options/fixedParameters';

export const CCAI_VERSION = '2024-06-03';
const ACTION = 'AnalyzeConversation';

/**
 * The limiter spaces calls as the client sends them, but the gateway counts them as they
 * arrive; a little headroom keeps network jitter from pushing two calls into one window.
 */
const QPS_HEADROOM = 0.9;

export const description: INodeProperties[] = [
	{
		displayName: 'Workspace ID',
		name: 'workspaceId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. llm-368xxxxxx3ifum',
		description: 'Model Studio workspace of the CCAI app (WORKSPACE-ID in the app center)',
	},
	{
		displayName: 'App ID',
		name: 'appId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. a070a49c681f4a95a0f0xxxxxxxxx35c',
		description: 'ID of the CCAI conversation analysis (AIO) app (APP-ID in the app center)',
	},
	...dialogueProperties,
	...analysisProperties,
	...outputProperties,
	...optionsProperties,
];

interface RunOptions extends BodyOptions {
	concurrency?: number;
	onEmptyConversation?: 'skip' | 'fail';
	requestsPerSecond?: number;
	keepRawText?: boolean;
	stream?: boolean;
	maxDialogueCharacters?: number;
	timeout?: number;
}

interface PreparedCall {
	call: RoaCall;
	stream: boolean;
	keepRawText: boolean;
	sessionId?: string;
	placement: Placement;
}

/** An item with nothing to analyze, passed on with a note instead of a request. */
interface SkippedItem {
	skipped: EmptyConversationError;
	placement: Placement;
}

type PreparedItem = PreparedCall | SkippedItem;

/** Version 1 failed on an empty conversation; later versions skip it unless told to fail. */
function skipsEmpty(ctx: IExecuteFunctions, options: RunOptions): boolean {
	const fallback = ctx.getNode().typeVersion >= 1.1 ? 'skip' : 'fail';
	return (options.onEmptyConversation ?? fallback) === 'skip';
}

function prepare(ctx: IExecuteFunctions, itemIndex: number): PreparedItem {
	const options = ctx.getNodeParameter('options', itemIndex, {}) as RunOptions;
	const workspaceId = String(ctx.getNodeParameter('workspaceId', itemIndex, '')).trim();
	const appId = String(ctx.getNodeParameter('appId', itemIndex, '')).trim();
	if (!workspaceId || !appId) {
		throw new NodeOperationError(
			ctx.getNode(),
			`Input item ${itemIndex}: ${!workspaceId ? 'Workspace ID' : 'App ID'} is empty`,
			{
				itemIndex,
				description: 'Both come from the CCAI app center (WORKSPACE-ID and APP-ID of your conversation analysis app).',
			},
		);
	}
	const placement = readPlacement(ctx, itemIndex);
	const maxCharacters = numericOption(
		ctx.getNode(),
		options.maxDialogueCharacters,
		{ label: 'Max Dialogue Characters', default: DEFAULT_MAX_DIALOGUE_CHARACTERS, min: 0, integer: true },
		itemIndex,
	);
	let dialogue;
	try {
		dialogue = readDialogue(ctx, itemIndex, maxCharacters);
	} catch (error) {
		if (error instanceof EmptyConversationError && skipsEmpty(ctx, options)) return { skipped: error, placement };
		throw asItemError(ctx, error, itemIndex);
	}
	const stream = options.stream === true;
	const body = buildRequestBody(ctx, itemIndex, dialogue, stream, options);
	return {
		call: {
			service: 'ccai',
			action: ACTION,
			version: CCAI_VERSION,
			method: 'POST',
			path: [workspaceId, 'ccai', 'app', appId, 'analyze_conversation'],
			body,
		},
		stream,
		keepRawText: options.keepRawText === true,
		sessionId: (body.dialogue as IDataObject).sessionId as string | undefined,
		placement,
	};
}

function asItemError(ctx: IExecuteFunctions, error: unknown, itemIndex: number): Error {
	if (error instanceof NodeOperationError || (error as NodeError)?.node !== undefined) return error as Error;
	return new NodeOperationError(ctx.getNode(), error as Error, { itemIndex });
}

async function analyzeOnce(client: AlibabaClient, item: PreparedCall): Promise<Analysis> {
	const body = await client.roa<IDataObject>(item.call);
	return {
		text: typeof body.text === 'string' ? body.text : body.text == null ? '' : JSON.stringify(body.text),
		finishReason: finishReasonOf(body.finishReason),
		inputTokens: body.inputTokens,
		outputTokens: body.outputTokens,
		totalTokens: body.totalTokens,
		requestId: (body.requestId ?? body.RequestId) as string | undefined,
	};
}

async function analyzeStreaming(
	ctx: IExecuteFunctions,
	client: AlibabaClient,
	item: PreparedCall,
	itemIndex: number,
): Promise<Analysis> {
	if (!ctx.isStreaming()) return await readAnalysisStream(client, item.call);
	let started = false;
	try {
		const analysis = await readAnalysisStream(
			client,
			item.call,
			() => {
				started = true;
				ctx.sendChunk('begin', itemIndex);
			},
			(delta) => ctx.sendChunk('item', itemIndex, delta),
		);
		ctx.sendChunk('end', itemIndex);
		return analysis;
	} catch (error) {
		if (started) ctx.sendChunk('error', itemIndex, (error as Error).message);
		throw asItemError(ctx, error, itemIndex);
	}
}

/**
 * Every item is read and checked before the first call: a bad item in a large batch then
 * fails at once instead of after the others were paid for. With continue-on-fail it becomes
 * an error item and the rest still run.
 */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const count = this.getInputData().length;
	const prepared: Array<PreparedItem | Error> = [];
	const reader = withFixedParameters(this);
	for (let itemIndex = 0; itemIndex < count; itemIndex++) {
		try {
			prepared.push(prepare(reader, itemIndex));
		} catch (error) {
			const itemError = asItemError(this, error, itemIndex);
			if (!this.continueOnFail()) throw itemError;
			prepared.push(itemError);
		}
	}
	if (count === 0) return [];

	const runOptions = this.getNodeParameter('options', 0, {}) as RunOptions;
	const node = this.getNode();
	const requestsPerSecond = numericOption(node, runOptions.requestsPerSecond, {
		label: 'Requests per Second',
		default: 0,
		min: 0,
		max: 10000,
	});
	const limiter = new RateLimiter(requestsPerSecond > 0 ? requestsPerSecond * QPS_HEADROOM : 0);
	const timeoutSeconds = numericOption(node, runOptions.timeout, { ...TIMEOUT_RULE, default: DEFAULT_TIMEOUT_SECONDS });
	const concurrency = numericOption(node, runOptions.concurrency, { ...CONCURRENCY_RULE, default: DEFAULT_CONCURRENCY });
	// The client takes a limiter turn for every attempt, so retries of throttled calls stay under the cap too.
	const client = await AlibabaClient.create(this, { timeoutMs: timeoutSeconds * 1000, limiter });

	const inputs = this.getInputData();
	const placed = new Set<number>();
	const output = await runItems(
		this,
		async (itemIndex) => {
			const item = prepared[itemIndex];
			if (item instanceof Error) throw item;
			const input = inputs[itemIndex];
			const emit = (analysis: IDataObject): INodeExecutionData[] => {
				placed.add(itemIndex);
				const kept = item.placement.mode === 'addToInput' && input.binary ? { binary: input.binary } : {};
				return [{ json: place(input.json, analysis, item.placement), ...kept, pairedItem: { item: itemIndex } }];
			};
			if ('skipped' in item) return emit(skippedOutput(item.skipped.reason));
			const analysis = item.stream
				? await analyzeStreaming(this, client, item, itemIndex)
				: await analyzeOnce(client, item);
			return emit(toOutput(analysis, item.keepRawText, item.sessionId));
		},
		concurrency,
	);
	hintWhenFieldMissingEverywhere(this, prepared);
	return output.map((item) => keepInputOnError(this, item, (item.pairedItem as IPairedItemData).item, placed));
}

/**
 * Under continue-on-fail an item that failed still carries its call (with `error` beside it)
 * when the node adds to the input, so a row can be written and the call is not lost.
 */
function keepInputOnError(
	ctx: IExecuteFunctions,
	item: INodeExecutionData,
	itemIndex: number,
	placed: Set<number>,
): INodeExecutionData {
	if (placed.has(itemIndex)) return item;
	let placement: Placement;
	try {
		placement = readPlacement(ctx, itemIndex);
	} catch {
		return item;
	}
	if (placement.mode !== 'addToInput') return item;
	const input = ctx.getInputData()[itemIndex];
	return { ...item, json: { ...input.json, ...item.json }, ...(input.binary ? { binary: input.binary } : {}) };
}

/** Skipping every item because the field is absent is more likely a wrong field name than a run of unanswered calls. */
function hintWhenFieldMissingEverywhere(ctx: IExecuteFunctions, prepared: Array<PreparedItem | Error>): void {
	if (prepared.length === 0) return;
	const allMissing = prepared.every((item) => !(item instanceof Error) && 'skipped' in item && item.skipped.fieldMissing);
	if (!allMissing) return;
	const field = String(ctx.getNodeParameter('conversationField', 0, 'conversation'));
	ctx.addExecutionHints({
		message: `No input item has a "${field}" field, so nothing was analyzed. Check Conversation Field, or connect Alibaba ICE Archive, Alibaba ICE Call Trigger or Alibaba Dialog Detail before this node.`,
		type: 'warning',
		location: 'outputPane',
	});
}
