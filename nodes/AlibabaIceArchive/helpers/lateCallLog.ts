import { NodeOperationError, sleep, type IDataObject, type IExecuteFunctions } from 'n8n-workflow';

import { describeInstance } from './api';
import { type DownloadSettings, type ParsedCallLog, readCallLog, requireCallLogUrl } from './callLog';
import type { ArchiveContext } from './context';
import { errorSummary } from '../../shared/transport/errors';

/** First pause, doubled after each miss up to the cap: quick for a log seconds late, gentle for a slow one. */
const FIRST_PAUSE_MS = 500;
const MAX_PAUSE_MS = 8000;

export interface CallLogRequest {
	instanceId: string;
	itemIndex: number;
	settings: DownloadSettings;
	keepRaw: boolean;
	/** How long to keep asking for a log ICE has not written yet; 0 = fail at once. */
	waitMs: number;
}

function isRunning(instance: IDataObject): boolean {
	return instance.Status === 'Executing' || instance.Status === 'Created';
}

function callLogUrlOf(instance: IDataObject): string {
	return typeof instance.CallLogUrl === 'string' ? instance.CallLogUrl.trim() : '';
}

/** OSS answers 404 NoSuchKey for an object not written yet (403 means an expired link: waiting will not help). */
function isNotFound(error: unknown): boolean {
	return String((error as { httpCode?: unknown }).httpCode) === '404';
}

/**
 * DescribeAIAgentInstance, then the log behind its CallLogUrl. ICE writes the log shortly
 * after a call ends (an agent_stop callback arrives before it), so until `waitMs` has passed
 * a finished call without a link is described again and a link that answers 404 is asked
 * again, with growing pauses. A running call fails at once: its end is not seconds away.
 */
export async function describeAndReadCallLog(
	ctx: IExecuteFunctions,
	archive: ArchiveContext,
	request: CallLogRequest,
): Promise<{ instance: IDataObject; log: ParsedCallLog }> {
	const { instanceId, itemIndex, settings, keepRaw, waitMs } = request;
	const deadline = Date.now() + waitMs;
	let pause = FIRST_PAUSE_MS;
	let instance: IDataObject | undefined;
	// The last 404 as the transport worded it (the download, OSS's code and RequestId): support needs it.
	let lastAnswer = '';
	for (;;) {
		instance ??= await archive.apiCalls.run(async () => await describeInstance(archive.client, instanceId));
		const read = async (url: string) =>
			await archive.downloads.run(async () => await readCallLog(archive.client, url, instanceId, settings, keepRaw));
		if (waitMs <= 0 || isRunning(instance)) {
			return { instance, log: await read(requireCallLogUrl(ctx, instance, instanceId, itemIndex)) };
		}
		const url = callLogUrlOf(instance);
		let late: string;
		if (!url) {
			late = `the call has ended (status "${String(instance.Status ?? 'unknown')}") but ICE has not published its log link yet`;
			instance = undefined;
		} else {
			// The transport already turned every failure into a NodeApiError that names the instance.
			let failure: unknown;
			try {
				return { instance, log: await read(url) };
			} catch (error) {
				failure = error;
			}
			if (!isNotFound(failure)) throw failure;
			late = 'its log link still answers HTTP 404 (ICE has not written the file yet)';
			lastAnswer = `\nLast answer: ${errorSummary(failure)}`;
		}
		const remaining = deadline - Date.now();
		if (remaining <= 0) {
			throw new NodeOperationError(
				ctx.getNode(),
				`The call log of instance ${instanceId} did not appear within ${Math.round(waitMs / 1000)} s: ${late}`,
				{
					description: `ICE writes the call log shortly after a call ends. Run the node again later, or raise the "Wait For Call Log Seconds" option. If it never appears, check the call in the Intelligent Media Services console.${lastAnswer}`,
					itemIndex,
				},
			);
		}
		await sleep(Math.min(pause, remaining));
		pause = Math.min(pause * 2, MAX_PAUSE_MS);
	}
}
