// The Web SDK's types, as Miro publishes them: the stand-in is checked against them
// (websdk-conformance.ts). The package declares ambient modules, so it is referenced, not imported.
/// <reference types="@mirohq/websdk-types" />
