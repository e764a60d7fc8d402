// adaptivecards@3's `main` is ES-module source that Node 20 cannot require; its UMD bundle
// works but has no types of its own. It exports the same API as the package's typings.
declare module 'adaptivecards/dist/adaptivecards.js' {
  export * from 'adaptivecards';
}
