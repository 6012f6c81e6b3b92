// Foreground commands stop on Ctrl-C (SIGINT) or a supervisor's SIGTERM. Resolves on the first;
// a second signal while shutting down exits at once, for when a shutdown hangs.

export function waitForStopSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const onSignal = (signal: NodeJS.Signals) => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      const forceExit = () => process.exit(130);
      process.once('SIGINT', forceExit);
      process.once('SIGTERM', forceExit);
      resolve(signal);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}
