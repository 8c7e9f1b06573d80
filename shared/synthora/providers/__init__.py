"""External providers: one module per provider, each declaring everything about it.

`base` is the declaration shape, `registry` the explicit list of provider
modules and the questions asked of it, `keycheck` the key-check machinery,
`errors` the one error every provider call raises (and its HTTP mapping),
`http` and `jobs` the plumbing the clients share, `contracts` what each
capability's client takes and returns. See docs/adding-a-provider.md.
"""
