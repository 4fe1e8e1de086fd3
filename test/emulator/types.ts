import type { IceScript } from './services/ice-script';

export interface EmulatorOptions {
	/** 0 picks a free port. */
	port?: number;
	/** Delay added before every API response (admin routes excluded). */
	latencyMs?: number;
	/** Instances of the default ICE agent (FIXTURES.ice.agentId). Default 23. */
	instancesPerAgent?: number;
}

export interface RecordedRequest {
	method: string;
	/** Raw pathname as received (still percent-encoded), without the query string. */
	path: string;
	/** `x-acs-action`, or the product action the route stands for (see README). */
	action?: string;
	/** Decoded query parameters. */
	query: Record<string, string>;
	/** Lower-cased names; repeated headers joined with ", ". */
	headers: Record<string, string>;
	body: string;
	/** Status sent; 0 while pending or when the connection was dropped. */
	status: number;
	/** Date.now() at arrival. */
	at: number;
	/** The RequestId the emulator answered with (body and `x-acs-request-id`). */
	requestId?: string;
	/** Date.now() when the client closed a response the emulator was stalling or dripping. */
	closedAt?: number;
	/** The body parsed as JSON when it is JSON (CCAI, DianJin, chatbot stream). */
	json?: unknown;
}

export type FaultKind =
	| 'throttle'
	| 'ccaiThrottle'
	| 'serverError'
	| 'drop'
	| 'truncateSse'
	| 'htmlStream'
	| 'sseFailure'
	| 'expireStreamToken'
	| 'latency'
	| 'forbidden'
	| 'echoSecrets'
	| 'callLogMalformed'
	| 'callLogHuge'
	| 'callLogExpired'
	| 'callLogNotFound'
	/** DescribeAIAgentInstance shows a finished call with an empty CallLogUrl, as ICE does until it has written the log. */
	| 'callLogUrlPending'
	| 'resetBeforeRequest'
	| 'stallAfterHeaders'
	| 'slowDrip'
	| 'gzipBomb'
	| 'malformedJson'
	| 'successFalse';

export interface FaultMatch {
	/** Compared with the request's action (x-acs-action or the route's action). */
	action?: string;
	/** Substring of the raw request path. */
	pathIncludes?: string;
	/** The InstanceId a DescribeAIAgentInstance asks about. */
	instanceId?: string;
	/** Substring of the path, query string or body (raw or percent-decoded): picks one item's request among alike ones. */
	requestIncludes?: string;
}

export interface Fault {
	kind: FaultKind;
	match?: FaultMatch;
	/** Default 1; Infinity allowed (over HTTP send "Infinity", -1 or null). */
	times?: number;
	/** For kind 'latency'. */
	latencyMs?: number;
	/** Overrides the HTTP status of 'throttle' (default 400; 429 is the other realistic choice) and 'serverError' (default 503). */
	status?: number;
	/** For 'throttle' and 'serverError': a Retry-After header, seconds (`"2"`) or an HTTP date. */
	retryAfter?: string;
	/** For 'slowDrip': bytes per piece (default 16) and the pause after each (default 100 ms). */
	chunkBytes?: number;
	intervalMs?: number;
}

import type { ApiVariants } from './variants';

export type CcaiStreamMode = 'cumulative' | 'incremental';

export interface Emulator {
	/** http://127.0.0.1:PORT */
	url: string;
	port: number;
	/** Every non-admin request, in arrival order. */
	requests: RecordedRequest[];
	/** Requests whose action equals the argument or whose path contains it. */
	countCalls(actionOrPathPart: string): number;
	setLatency(ms: number): void;
	addFault(f: Fault): void;
	/** Drops every fault still queued (e.g. `times: Infinity` ones) and keeps everything else, scripted ICE calls included. */
	clearFaults(): void;
	setCcaiQpsLimit(qps: number | undefined): void;
	setCcaiStreamMode(mode: CcaiStreamMode): void;
	expireStreamTokens(): void;
	/** Switches to alternative answer shapes (see variants.ts); reset() puts the defaults back. */
	setVariants(variants: Partial<ApiVariants>): void;
	readonly variants: Readonly<ApiVariants>;
	/** STS AssumeRole and ECS metadata: issued-key lifetime, the instance's role, the AssumeRole log. */
	sts: import('./services/ram-roles').StsControl;
	/** Scripted ICE calls: running calls that finish later, late or missing logs, inserts between pages (services/ice-script.ts). */
	readonly ice: IceScript;
	reset(): void;
	close(): Promise<void>;
}
