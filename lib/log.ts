import pino from "pino";

// Structured JSON logs; child loggers carry clusterId / requestId so a reconcile or a request can be followed.
export const log = pino({
  level: process.env.LOG_LEVEL ?? "info",
  base: { service: process.env.VCP_PROCESS ?? "web" },
  redact: ["*.kubeconfig", "*.token", "*.secret", "*.password", "*.authorization"],
});

export type Logger = typeof log;
