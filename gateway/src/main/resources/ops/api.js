// Calls to the gateway's staff API. State changes carry the session's CSRF token, kept for this tab only.
const CSRF_KEY = 'floorgate.csrf';

export function rememberCsrf(token) {
  if (token) sessionStorage.setItem(CSRF_KEY, token);
}

export function forgetCsrf() {
  sessionStorage.removeItem(CSRF_KEY);
}

export async function getJson(path) {
  const response = await fetch(path, { credentials: 'same-origin', headers: { Accept: 'application/json' } });
  return { status: response.status, body: await response.json().catch(() => ({})) };
}

export async function post(path, body) {
  const headers = { Accept: 'application/json', 'X-CSRF-Token': sessionStorage.getItem(CSRF_KEY) || '' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(path, {
    method: 'POST', credentials: 'same-origin', headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: await response.json().catch(() => ({})) };
}
