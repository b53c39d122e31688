"""Block files: a block as one JSON document (docs/block-format.md).

``read_block_file`` parses; ``validate_block`` checks everything the database would refuse
and returns the block in the canonical shape of ``blockdata.block_to_dict`` with every
problem at its path in the file (``weeks[3].sessions[1].prescriptions[2].reps_min``,
indexes from 0); ``block_import`` writes a valid file in one transaction, or nothing.
"""

from programs.blocks.files.reading import (
    MAX_FILE_BYTES,
    BlockFileError,
    ImportResult,
    PathError,
    read_block_file,
)
from programs.blocks.files.validation import validate_block
from programs.blocks.files.writing import block_export, block_import

__all__ = [
    "MAX_FILE_BYTES",
    "BlockFileError",
    "ImportResult",
    "PathError",
    "block_export",
    "block_import",
    "read_block_file",
    "validate_block",
]
