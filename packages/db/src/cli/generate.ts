console.log("generate: not yet")
