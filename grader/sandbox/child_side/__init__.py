"""The child's side of the trust boundary: the warm process, the confined worker and its confinement.

Nothing here may import the judge's side, the checks or the reference: a fork of this code must
carry no hidden checks or expected values.
"""
