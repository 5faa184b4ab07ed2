/**
 * Talking to an instance's API server with its admin token over plain node:https: what starting and
 * probing an instance needs, without a client library.
 */
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import path from 'node:path';
import { instanceDir } from './locations';
import { portsFor } from './ports';

export interface ApiTarget {
  server: string; // https://127.0.0.1:port
  ca: Buffer;
  token: string;
}

/** Loosely typed JSON of a Kubernetes API response; callers narrow what they read. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- arbitrary API objects, read field by field
type ApiJson = Record<string, any>;

export async function apiRequest(
  t: ApiTarget,
  method: string,
  urlPath: string,
  body?: unknown,
  timeoutMs = 10_000,
): Promise<{ status: number; body: string; json: ApiJson | undefined }> {
  const url = new URL(urlPath, t.server);
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = https.request(
      url,
      {
        method,
        ca: t.ca,
        headers: {
          authorization: `Bearer ${t.token}`,
          accept: 'application/json',
          ...(payload ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {}),
        },
        timeout: timeoutMs,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString();
          let json: ApiJson | undefined = undefined;
          try {
            json = JSON.parse(text);
          } catch {
            /* not json */
          }
          resolve({ status: res.statusCode ?? 0, body: text, json });
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`timeout after ${timeoutMs}ms: ${method} ${url}`)));
    req.on('error', reject);
    if (payload) req.write(payload);
    req.end();
  });
}

export function httpGet(url: string, timeoutMs = 3000): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
  });
}

export function targetFor(name: string, portBase: number): ApiTarget | null {
  const tokens = path.join(instanceDir(name), 'pki', 'tokens.json');
  const ca = path.join(instanceDir(name), 'pki', 'ca.crt');
  if (!fs.existsSync(tokens) || !fs.existsSync(ca)) return null;
  return {
    server: `https://127.0.0.1:${portsFor(portBase).apiserver}`,
    ca: fs.readFileSync(ca),
    token: JSON.parse(fs.readFileSync(tokens, 'utf8')).admin,
  };
}

export async function readyz(t: ApiTarget): Promise<{ ok: boolean; detail: string }> {
  try {
    const r = await apiRequest(t, 'GET', '/readyz', undefined, 5000);
    return { ok: r.status === 200, detail: r.status === 200 ? 'ok' : `/readyz ${r.status}: ${r.body.slice(0, 300)}` };
  } catch (e) {
    return { ok: false, detail: (e as Error).message };
  }
}

export async function nodesReady(t: ApiTarget): Promise<{ ready: number; total: number }> {
  const r = await apiRequest(t, 'GET', '/api/v1/nodes?labelSelector=type%3Dkwok');
  if (r.status !== 200) return { ready: 0, total: 0 };
  const items = (r.json?.items ?? []) as { status?: { conditions?: { type: string; status: string }[] } }[];
  const ready = items.filter((n) =>
    (n.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True'),
  ).length;
  return { ready, total: items.length };
}
