"""The numpy rasteriser behind RasterNetworkDiagram, by job: ``coverage`` (anti-aliased
footprints of lines and discs), ``geometry`` (the sparse coverage matrices of one camera
and place, and each frame's sums), ``edges`` (the edges' matrix, built as one compact
copy in bands of rows), ``colour`` (colour tables), ``paint`` (neurons into the frame)
and ``pool`` (the worker threads)."""
