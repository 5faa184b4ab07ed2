import { e2eEnvironment } from "./global-setup";

export default async function globalTeardown(): Promise<void> {
  const state = e2eEnvironment();
  if (!state) return;
  await Promise.all(state.services.map((s) => s.stop()));
  await state.idp?.stop();
  await state.charts?.stop();
  await state.pg?.stop();
  await state.cluster?.release();
}
