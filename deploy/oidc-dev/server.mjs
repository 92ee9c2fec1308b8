// A real OpenID provider on loopback for the deploy tests and a local trial of shared mode:
// panva/oidc-provider (an OpenID-certified implementation), one confidential client (the app),
// the test users of users.json with their role and team claims. NOT for production: the users,
// their passwords and the signing key live in this process only.
//
//   node server.mjs                       listens on 127.0.0.1, a free port, prints its issuer
//   OIDC_PORT=9400 node server.mjs        a fixed port
// Environment:
//   OIDC_PORT            port on 127.0.0.1 (default 0 = a free one)
//   OIDC_CLIENT_ID       the app's client id (default mmnav)
//   OIDC_CLIENT_SECRET   the app's client secret (required)
//   OIDC_REDIRECT_URIS   comma-separated redirect URIs of the app (…/oauth2callback), required
//
// Prints one line "oidc-dev issuer http://127.0.0.1:PORT" once it serves (the tests wait for it).
// The ID token carries the claims mmrn_role (clinician | reviewer | teacher) and mmrn_teams (a
// list of team names) when the scope "mmrn" is asked for (the app's secrets ask for it).

import { generateKeyPairSync, randomBytes, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import Provider from 'oidc-provider';

const USERS = JSON.parse(readFileSync(new URL('./users.json', import.meta.url), 'utf8'));
const port = Number(process.env.OIDC_PORT || 0);
const clientId = process.env.OIDC_CLIENT_ID || 'mmnav';
const clientSecret = process.env.OIDC_CLIENT_SECRET;
const redirectUris = (process.env.OIDC_REDIRECT_URIS || '').split(',').map((s) => s.trim()).filter(Boolean);
if (!clientSecret || redirectUris.length === 0) {
  console.error('oidc-dev: set OIDC_CLIENT_SECRET and OIDC_REDIRECT_URIS');
  process.exit(2);
}

const escapeHtml = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const sameSecret = (a, b) => {
  const x = Buffer.from(String(a)); const y = Buffer.from(String(b));
  return x.length === y.length && timingSafeEqual(x, y);
};

function account(username) {
  const user = USERS[username];
  return {
    accountId: username,
    async claims() {
      return {
        sub: username,
        email: user.email,
        email_verified: true,
        name: user.name,
        preferred_username: username,
        mmrn_role: user.role,
        mmrn_teams: user.teams,
      };
    },
  };
}

function loginPage(uid, problem) {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sign in (oidc-dev)</title></head>
<body><h1>Sign in</h1><p>Development OpenID provider (loopback only).</p>
${problem ? `<p role="alert" id="problem">${escapeHtml(problem)}</p>` : ''}
<form method="post" action="/interaction/${escapeHtml(uid)}/login" autocomplete="off">
<label>User <input id="username" name="username" required></label>
<label>Password <input id="password" name="password" type="password" required></label>
<button id="submit" type="submit">Sign in</button></form></body></html>`;
}

async function readForm(req) {
  let body = '';
  for await (const chunk of req) {
    body += chunk;
    if (body.length > 10000) throw new Error('form too large');
  }
  return Object.fromEntries(new URLSearchParams(body));
}

const server = http.createServer();
server.listen(port, '127.0.0.1', () => {
  const issuer = `http://127.0.0.1:${server.address().port}`;
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const provider = new Provider(issuer, {
    clients: [{
      client_id: clientId,
      client_secret: clientSecret,
      redirect_uris: redirectUris,
      post_logout_redirect_uris: redirectUris,
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
    }],
    jwks: { keys: [{ ...privateKey.export({ format: 'jwk' }), kid: 'oidc-dev', use: 'sig', alg: 'RS256' }] },
    cookies: { keys: [randomBytes(32).toString('hex')] },
    claims: {
      openid: ['sub'],
      email: ['email', 'email_verified'],
      profile: ['name', 'preferred_username'],
      mmrn: ['mmrn_role', 'mmrn_teams'],
    },
    scopes: ['openid', 'email', 'profile', 'mmrn'],
    conformIdTokenClaims: false, // the scope's claims go into the ID token (the app reads the ID token)
    findAccount: async (ctx, id) => (USERS[id] ? account(id) : undefined),
    features: { devInteractions: { enabled: false }, rpInitiatedLogout: { enabled: true } },
    interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
    // A first-party client: no consent screen; the grant covers the scopes the app asks for.
    async loadExistingGrant(ctx) {
      const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
      if (grantId) return ctx.oidc.provider.Grant.find(grantId);
      const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
      grant.addOIDCScope('openid email profile mmrn');
      await grant.save();
      return grant;
    },
    ttl: { Session: 3600, Interaction: 600, Grant: 3600, IdToken: 3600, AccessToken: 3600, AuthorizationCode: 60 },
  });
  const callback = provider.callback();

  server.on('request', async (req, res) => {
    const match = /^\/interaction\/([A-Za-z0-9_-]+)(\/login)?$/.exec(new URL(req.url, issuer).pathname);
    if (!match) return callback(req, res);
    try {
      const details = await provider.interactionDetails(req, res);
      if (req.method === 'GET') {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
        return res.end(loginPage(details.uid));
      }
      if (req.method === 'POST' && match[2]) {
        const form = await readForm(req);
        const user = USERS[form.username];
        if (!user || !sameSecret(form.password || '', user.password)) {
          res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
          return res.end(loginPage(details.uid, 'Unknown user or wrong password.'));
        }
        console.log(`oidc-dev sign-in ${form.username}`);
        return provider.interactionFinished(req, res, { login: { accountId: form.username } }, { mergeWithLastSubmission: false });
      }
      res.writeHead(405).end();
    } catch (error) {
      res.writeHead(400, { 'content-type': 'text/plain' });
      res.end(`interaction failed: ${error.message}`);
    }
  });
  console.log(`oidc-dev issuer ${issuer}`);
});
