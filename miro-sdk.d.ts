/// <reference types="@mirohq/websdk-types" />
