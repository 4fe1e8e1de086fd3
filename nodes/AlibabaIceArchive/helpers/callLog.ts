import { NodeOperationError, type IDataObject, type IExecuteFunctions } from 'n8n-workflow';

import { type ConversationSentence, sentenceFromIceLogEntry } from '../../shared/conversation';
import { type AlibabaClient, downloadJson } from '../../shared/transport';

export interface DownloadSettings {
	allowedHosts: string[];
	maxBytes: number;
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

/** Downloads and checks the JSON behind `CallLogUrl`: `{instanceid, startTime, dialog: [...]}`. */
export async function downloadCallLog(
	client: AlibabaClient,
	url: string,
	instanceId: string,
	settings: DownloadSettings,
): Promise<IDataObject> {
	rememberUrlSecrets(client, url);
	const what = `the call log of instance ${instanceId}`;
	const data = await downloadJson(client, url, { ...settings, what });
	if (!data || typeof data !== 'object' || Array.isArray(data) || !Array.isArray((data as IDataObject).dialog)) {
		client.fail({
			code: 'InvalidCallLog',
			message: `${what} is JSON but not a call log: it has no "dialog" list.`,
			operation: `Download of ${what}`,
		});
	}
	return data as IDataObject;
}

/** A call log as the nodes keep it: its small top-level fields and its sentences, already mapped. */
export interface ParsedCallLog {
	/** Every top-level field except `dialog`: `instanceid`, `startTime`, `agentUserId`… */
	header: IDataObject;
	sentences: ConversationSentence[];
	/** The file as parsed, only when the user asked for the raw log. */
	raw?: IDataObject;
}

/** Downloads a call log and keeps only what the output needs (see ParsedCallLog). */
export async function readCallLog(
	client: AlibabaClient,
	url: string,
	instanceId: string,
	settings: DownloadSettings,
	keepRaw: boolean,
): Promise<ParsedCallLog> {
	const raw = await downloadCallLog(client, url, instanceId, settings);
	const { dialog, ...header } = raw;
	const sentences = (dialog as IDataObject[]).map(sentenceFromIceLogEntry);
	return keepRaw ? { header, sentences, raw } : { header, sentences };
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
