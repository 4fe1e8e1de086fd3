import { NodeOperationError, type IDataObject, type IExecuteFunctions } from 'n8n-workflow';

// From the module itself, not the index: an index re-export is a getter, paid once per sentence here.
import { sentenceFromIceLogEntry, sentenceFromIceLogMembers } from '../../shared/conversation/fromIce';
import { SpokenOrderCheck, type ConversationSentence } from '../../shared/conversation';
import {
	type AlibabaClient,
	type DownloadLimits,
	downloadStreaming,
	JsonArrayFieldReader,
	JsonStreamError,
	SizedList,
} from '../../shared/transport';

export interface DownloadSettings {
	allowedHosts: string[];
	maxBytes: number;
	limits?: DownloadLimits;
}

/** The signature in a signed URL's query must not reach an error text, whatever echoes it. */
function rememberUrlSecrets(client: AlibabaClient, url: string): void {
	try {
		const parsed = new URL(url);
		client.addSecret(parsed.search.slice(1), ...[...parsed.searchParams.values()].filter((value) => value.length >= 8));
	} catch {
		// downloadJson reports an unparsable URL itself.
	}
}

const SMALL_LOG_BYTES = 64 * 1024;

/** A whole small log, parsed at once; the same answers as the streaming reader gives. */
function parseSmallLog(bytes: Buffer, take: (element: unknown) => void): { fields: IDataObject; sawField: boolean } {
	let value: unknown;
	let message = '';
	try {
		value = JSON.parse(bytes.toString('utf8'));
	} catch (error) {
		message = (error as Error).message;
	}
	if (message) throw new JsonStreamError(message);
	if (!value || typeof value !== 'object' || Array.isArray(value)) throw new JsonStreamError('the file is not a JSON object');
	const { dialog, ...fields } = value as IDataObject;
	if (!Array.isArray(dialog)) return { fields: value as IDataObject, sawField: false };
	for (let i = 0; i < dialog.length; i++) take(dialog[i]);
	return { fields, sawField: true };
}

/** A call log as the nodes keep it: its small top-level fields and its sentences, already mapped. */
export interface ParsedCallLog {
	/** Every top-level field except `dialog`: `instanceid`, `startTime`, `agentUserId`… */
	header: IDataObject;
	sentences: ConversationSentence[];
	/** The file as parsed, only when the user asked for the raw log. */
	raw?: IDataObject;
}

/**
 * Downloads the JSON behind `CallLogUrl` (`{instanceid, startTime, dialog: [...]}`) and maps
 * each sentence as soon as its bytes have arrived (JsonArrayFieldReader), so the peak is the
 * conversation plus one batch, never the text and two object graphs (see test/bench/RESULTS.md).
 */
export async function readCallLog(
	client: AlibabaClient,
	url: string,
	instanceId: string,
	settings: DownloadSettings,
	keepRaw: boolean,
): Promise<ParsedCallLog> {
	rememberUrlSecrets(client, url);
	const what = `the call log of instance ${instanceId}`;
	const operation = `Download of ${what}`;
	const sentences = new SizedList<ConversationSentence>();
	const rawDialog: IDataObject[] = [];
	let notObject = false;
	const isEntry = (element: unknown) => {
		if (element && typeof element === 'object' && !Array.isArray(element)) return true;
		notObject = true;
		return false;
	};
	/** A parsed entry: mapped here, and kept as it is when the raw log is asked for. */
	const take = (element: unknown) => {
		if (!isEntry(element)) return;
		sentences.add(sentenceFromIceLogEntry(element as IDataObject));
		if (keepRaw) rawDialog.push(element as IDataObject);
	};
	/** An entry the reader mapped from its members while parsing (no entry object ever built). */
	const takeMapped = (element: unknown) => {
		if (isEntry(element)) sentences.add(element as ConversationSentence);
	};
	const order = new SpokenOrderCheck();
	const reader = keepRaw
		? new JsonArrayFieldReader('dialog', take)
		: new JsonArrayFieldReader('dialog', takeMapped, (keys, values, count) =>
				sentenceFromIceLogMembers(keys, values, count, order.note),
			);
	// Most logs are a few KB: held until the first SMALL_LOG_BYTES, one JSON.parse costs less than streaming them.
	let head: Buffer[] | undefined = [];
	let headBytes = 0;
	let declaredBytes = NaN;
	const onChunk = (chunk: Buffer) => {
		if (head) {
			head.push(chunk);
			headBytes += chunk.length;
			if (headBytes < SMALL_LOG_BYTES) return;
			const held = head;
			head = undefined;
			for (const part of held) reader.push(part);
		} else {
			reader.push(chunk);
		}
		// Once a whole batch is parsed, its bytes per sentence and the file's size say about how many are coming.
		if (reader.elementBytes > 0 && sentences.length > 0) sentences.sizeFor(declaredBytes, reader.elementBytes / sentences.length);
	};
	let failure: unknown;
	try {
		await downloadStreaming(client, url, { ...settings, what }, onChunk, (bytes) => (declaredBytes = bytes));
	} catch (error) {
		failure = error;
	}
	// Transport failures are NodeApiErrors already; only the reader's own complaint becomes one here.
	if (failure !== undefined && !(failure instanceof JsonStreamError)) throw failure;
	let parsed: ReturnType<JsonArrayFieldReader['end']> | undefined;
	try {
		if (failure === undefined) parsed = head ? parseSmallLog(Buffer.concat(head), take) : reader.end();
	} catch (error) {
		failure = error;
	}
	if (!parsed) {
		return client.fail({
			code: 'InvalidJson',
			message: `${what} is not valid JSON (${(failure as Error).message}). The file may be truncated or not a call log; run the node again to fetch it anew.`,
			operation,
		});
	}
	if (!parsed.sawField || notObject) {
		client.fail({
			code: 'InvalidCallLog',
			message: `${what} is JSON but not a call log: it has no "dialog" list${notObject ? ' of sentences' : ''}.`,
			operation,
		});
	}
	// Only a streamed log's sentences were all noted (a small log is parsed whole and mapped elsewhere).
	const list = sentences.toArray();
	if (!keepRaw && !head) order.settle(list);
	const header = parsed.fields;
	return keepRaw ? { header, sentences: list, raw: { ...header, dialog: rawDialog } } : { header, sentences: list };
}

/** A finished call has a CallLogUrl; anything else has no log yet, and saying why beats a 404. */
export function requireCallLogUrl(
	ctx: IExecuteFunctions,
	instance: IDataObject,
	instanceId: string,
	itemIndex: number,
): string {
	const url = typeof instance.CallLogUrl === 'string' ? instance.CallLogUrl.trim() : '';
	const status = typeof instance.Status === 'string' ? instance.Status : '';
	if (url && status !== 'Executing' && status !== 'Created') return url;
	if (status === 'Executing' || status === 'Created') {
		throw new NodeOperationError(
			ctx.getNode(),
			`Instance ${instanceId} ${status === 'Created' ? 'has not started yet' : 'is still running'} (status "${status}"), so it has no call log yet`,
			{
				description:
					'ICE writes the call log after the call ends. Run the node again once the call has finished.',
				itemIndex,
			},
		);
	}
	throw new NodeOperationError(
		ctx.getNode(),
		`Instance ${instanceId} has no call log (status "${status || 'unknown'}", empty CallLogUrl)`,
		{
			description:
				'ICE writes the call log shortly after a call ends. If the call ended only moments ago, try again in a minute.',
			itemIndex,
		},
	);
}
