/**
 * Answer shapes the evidence allows but does not settle (issue 14). Each switch picks one
 * possible truth; the defaults are the shapes the emulator always had, so existing tests keep
 * their meaning. Tests of the nodes run against every value (see test/fidelity).
 */
export interface ApiVariants {
	/**
	 * CCAI stream: what `finishReason` holds while the answer is still being generated.
	 * `null` (JSON null, the doc's wording), `"null"` (a string, as DashScope-framed streams
	 * send it), `""`, or the field left out.
	 */
	ccaiPendingFinishReason: 'null' | 'string-null' | 'empty' | 'absent';
	/** CCAI stream: after the `stop` event, one more event with no text and the final token counts, then `data: [DONE]`. */
	ccaiStreamTrailer: boolean;
	/**
	 * Chatbot stream: where `Commands` (e.g. `sysToAgent`, hand-over to a human) sits in an
	 * event's value: at its top level, or inside `MessageBody.DirectMessageBody` next to
	 * `ContentType` and `Ext`, as it sits in the non-stream Chat API's message text object.
	 */
	chatbotCommandsAt: 'top' | 'direct';
	/** HTTP status of alime-ws's HTML page for a refused stream URL (200, or 403 as a Spring error page sends it). */
	chatbotHtmlStatus: number;
	/**
	 * DianJin GetDialogAnalysisResult by time range with more sessions than one call handles
	 * (10 inline, 1000 via URL): `error` answers PARAM_ERROR, `silent` returns the first ones
	 * in the asked order and says nothing, as the API documentation describes.
	 */
	dianjinRangeCap: 'error' | 'silent';
	/**
	 * Extra DianJin sessions (every 50th finished, the rest running), one every `dianjinBulkSpacingS` seconds from 2025-09-01 00:00:00
	 * Beijing time (ids `19066239238156xxxxx`), to exercise the caps. 0 = none.
	 */
	dianjinBulkSessions: number;
	dianjinBulkSpacingS: number;
	/**
	 * ICE CallLogUrl path layout: `calllogs` `/calllogs/<id>.json` (default), `sdk` the SDK
	 * example's `/call_logs/<id>.json`, `folder` `/ai-agent/<id>/calllog.json`, `opaque`
	 * `/ai-agent/logs/<hash>.json` (no instance id in the URL at all).
	 */
	iceCallLogLayout: 'calllogs' | 'sdk' | 'folder' | 'opaque';
	/** ICE: the call log JSON carries its own `instanceid` (the seed does). */
	iceCallLogHasInstanceId: boolean;
	/** ICE: DescribeAIAgentInstance's `SessionId` (`set`, or `empty`: "empty by default" per the doc). */
	iceSessionId: 'set' | 'empty';
	/** ICE: ListAIAgentInstance items also carry `InstanceId` and `SessionId` (the SDK model has neither). */
	iceListItemIds: boolean;
}

export const DEFAULT_VARIANTS: Readonly<ApiVariants> = Object.freeze({
	ccaiPendingFinishReason: 'null',
	ccaiStreamTrailer: false,
	chatbotCommandsAt: 'top',
	chatbotHtmlStatus: 200,
	dianjinRangeCap: 'error',
	dianjinBulkSessions: 0,
	dianjinBulkSpacingS: 60,
	iceCallLogLayout: 'calllogs',
	iceCallLogHasInstanceId: true,
	iceSessionId: 'set',
	iceListItemIds: false,
});

const CHOICES: { [K in keyof ApiVariants]?: readonly unknown[] } = {
	ccaiPendingFinishReason: ['null', 'string-null', 'empty', 'absent'],
	chatbotCommandsAt: ['top', 'direct'],
	dianjinRangeCap: ['error', 'silent'],
	iceCallLogLayout: ['calllogs', 'sdk', 'folder', 'opaque'],
	iceSessionId: ['set', 'empty'],
};

/** Checks a partial switch set (from a test or the admin route); throws on an unknown name or value. */
export function checkedVariants(input: Record<string, unknown>): Partial<ApiVariants> {
	const out: Record<string, unknown> = {};
	for (const [name, value] of Object.entries(input)) {
		if (!(name in DEFAULT_VARIANTS)) throw new Error(`unknown variant ${name}`);
		const fallback = DEFAULT_VARIANTS[name as keyof ApiVariants];
		const choices = CHOICES[name as keyof ApiVariants];
		const ok = choices ? choices.includes(value) : typeof value === typeof fallback;
		if (!ok || (typeof value === 'number' && !(value >= 0))) throw new Error(`bad value for variant ${name}: ${JSON.stringify(value)}`);
		out[name] = value;
	}
	return out as Partial<ApiVariants>;
}
