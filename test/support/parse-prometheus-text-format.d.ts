// The package ships no types; test/support/prometheus-test-support.ts describes what it returns.
declare module 'parse-prometheus-text-format' {
  const parse: (text: string) => unknown;
  export default parse;
}
