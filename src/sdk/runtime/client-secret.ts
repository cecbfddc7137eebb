// The clientSecret option may be a string or a Promise of one (XPay's SDK takes both).
export async function readClientSecret(value: unknown): Promise<string> {
  const secret = await value;
  if (typeof secret !== 'string' || !/^cs_(test|live)_\w+_secret_\w+$/.test(secret)) {
    throw Object.assign(new Error('XPay: clientSecret must be the clientSecret of a checkout session (cs_test_…_secret_…).'), {
      type: 'invalid_request_error', code: 'parameter_invalid', param: 'clientSecret',
    });
  }
  return secret;
}

/** The session view and frame URLs the client endpoint answers with. */
export interface SessionEnvelope {
  session: Record<string, any>;
  frames: { checkout: string; element: string };
}
