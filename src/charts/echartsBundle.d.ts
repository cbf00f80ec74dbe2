// ECharts' one-file production build (all charts and components, dev checks compiled out). It loads
// in ~0.1 s under tsx, where echarts/core's hundreds of modules take 2-3 s; its API is echarts'.
declare module 'echarts/dist/echarts.esm.min' {
  export * from 'echarts';
}
