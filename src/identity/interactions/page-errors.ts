// Every way an interaction request can fail, with a stable code, the HTTP status and the words
// the user reads. One table, so the page, the status and the log line always agree.
import type { ErrorView } from './views/error.ts';

export type PageErrorCode =
  | 'session_not_found'
  | 'interaction_mismatch'
  | 'wrong_step'
  | 'csrf_invalid'
  | 'cross_site_request'
  | 'form_too_large'
  | 'form_unsupported_type'
  | 'form_invalid'
  | 'method_not_allowed'
  | 'not_found'
  | 'server_error';

const FORM_NOT_VERIFIED = 'The form could not be verified. Go back to the application and start again.';

const TABLE: Record<PageErrorCode, { status: number; title: string; message: string }> = {
  session_not_found: { status: 400, title: 'Sign-in expired', message: 'This sign-in request has expired or was already completed.' },
  interaction_mismatch: { status: 400, title: 'Sign-in expired', message: 'This page belongs to another sign-in attempt.' },
  wrong_step: { status: 400, title: 'Already done', message: 'This step of the sign-in is already done.' },
  csrf_invalid: { status: 403, title: 'Request refused', message: FORM_NOT_VERIFIED },
  cross_site_request: { status: 403, title: 'Request refused', message: FORM_NOT_VERIFIED },
  form_too_large: { status: 413, title: 'Request refused', message: 'The form sent was too large.' },
  form_unsupported_type: { status: 415, title: 'Request refused', message: 'The form was not sent as a web form.' },
  form_invalid: { status: 400, title: 'Request refused', message: 'The form sent could not be read.' },
  method_not_allowed: { status: 405, title: 'Request refused', message: 'This page cannot be used that way.' },
  not_found: { status: 404, title: 'Page not found', message: 'There is no such page.' },
  server_error: { status: 500, title: 'Something went wrong', message: 'The sign-in service could not complete the request.' },
};

export class InteractionPageError extends Error {
  readonly code: PageErrorCode;
  constructor(code: PageErrorCode, detail?: string) {
    super(detail ?? TABLE[code].message);
    this.name = 'InteractionPageError';
    this.code = code;
  }
  get status(): number {
    return TABLE[this.code].status;
  }
  view(): ErrorView {
    const { title, message } = TABLE[this.code];
    return { title, message, code: this.code };
  }
}
