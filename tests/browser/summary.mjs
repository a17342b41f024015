// A reporter for node's test runner that ends the run with one plain line,
// "N passed, N failed", under the spec reporter's own lines.
export default async function* summary(source) {
  let passed = 0;
  let failed = 0;
  for await (const event of source) {
    // Only the tests themselves, not the files that hold them.
    if (event.data?.details?.type === 'suite' || event.data?.nesting === undefined) continue;
    if (event.type === 'test:pass' && !event.data.skip && !event.data.todo) passed += 1;
    if (event.type === 'test:fail') failed += 1;
  }
  yield `${passed} passed, ${failed} failed\n`;
}
