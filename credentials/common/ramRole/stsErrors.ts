/** Alibaba's error body fields, whatever the casing. */
export interface StsErrorBody {
	code: string;
	message: string;
	requestId?: string;
}

export function readErrorBody(body: unknown, status: number): StsErrorBody {
	const record = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
	const pick = (...keys: string[]) => {
		for (const key of keys) if (typeof record[key] === 'string' && record[key]) return record[key] as string;
		return undefined;
	};
	return {
		code: pick('Code', 'code') ?? `HTTP${status}`,
		message: pick('Message', 'message') ?? (typeof body === 'string' ? body.slice(0, 200) : `HTTP ${status}`),
		requestId: pick('RequestId', 'requestId'),
	};
}

const STEP = 'Step 1 of 2 (STS AssumeRole with the source AccessKey) failed';

/**
 * Says which of the three things a user can fix is wrong: the source key, the role's trust
 * policy (who may assume it), or a permission. Alibaba answers both a distrustful role and a
 * user without sts:AssumeRole with NoPermission, so that message names both, trust policy first.
 */
export function explainAssumeRoleError(error: StsErrorBody, roleArn: string): string {
	const { code } = error;
	const said = `${code}: ${error.message.replace(/\s+/g, ' ').trim()}`;
	const suffix = error.requestId ? ` (RequestId ${error.requestId})` : '';
	let advice: string;
	if (/^(SignatureDoesNotMatch|IncompleteSignature)$/.test(code)) {
		advice = 'the source AccessKey secret does not belong to the source AccessKey ID. Paste the secret again, without spaces.';
	} else if (/^InvalidAccessKeyId/.test(code)) {
		advice = 'the source AccessKey ID is unknown or disabled. Check it, and that the key is enabled in the RAM console.';
	} else if (/^(InvalidSecurityToken|MissingSecurityToken)/.test(code)) {
		advice = 'the source security token is wrong or expired. Leave it empty for a RAM user AccessKey, or enter a current one.';
	} else if (/^EntityNotExist\.Role/.test(code)) {
		advice = `the role ${roleArn} does not exist. Check the account ID and role name in the Role ARN (RAM console > Roles).`;
	} else if (/NoPermission|^Forbidden|NotAuthorized|AccessDenied/i.test(code)) {
		advice =
			`STS refused to let the source AccessKey assume ${roleArn}. Check the role's trust policy first: its Principal must name this AccessKey's account or RAM user (and its sts:ExternalId condition, if any, must equal the External ID field). ` +
			'If the trust policy is right, the RAM user behind the source AccessKey lacks the permission sts:AssumeRole on this role: attach a policy that allows sts:AssumeRole on it.';
	} else if (/^InvalidParameter\.DurationSeconds/.test(code)) {
		advice = "the Duration exceeds the role's maximum session duration. Lower it, or raise the maximum on the role's page in the RAM console.";
	} else if (/^InvalidParameter\.(Policy|PolicyGrammar|PolicySize)/.test(code)) {
		advice = 'the session Policy was rejected. It must be a RAM policy document of at most 2048 characters.';
	} else if (/^InvalidParameter/.test(code)) {
		advice = 'STS rejected a parameter. Check the Role ARN, Role Session Name and External ID.';
	} else if (/^InvalidTimeStamp/.test(code)) {
		advice = 'STS rejected the request time. Check that the n8n server clock is correct.';
	} else {
		advice = 'check the STS endpoint and try again.';
	}
	return `${STEP}: ${said}${suffix}. Cause: ${advice}`;
}
