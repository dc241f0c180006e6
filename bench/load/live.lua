dofile(os.getenv("LOAD_DIR") .. "/common.lua")
