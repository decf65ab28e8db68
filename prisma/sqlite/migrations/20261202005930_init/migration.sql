-- CreateTable
CREATE TABLE "Facility" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "Allocation" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "tag" TEXT NOT NULL,
    "facilityId" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Allocation_facilityId_fkey" FOREIGN KEY ("facilityId") REFERENCES "Facility" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Host" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "allocationId" TEXT NOT NULL,
    "cores" INTEGER NOT NULL,
    "physicalCores" INTEGER NOT NULL DEFAULT 0,
    "memoryMb" INTEGER NOT NULL,
    "swapMb" INTEGER NOT NULL DEFAULT 0,
    "gpus" INTEGER NOT NULL DEFAULT 0,
    "gpuMemoryMb" INTEGER NOT NULL DEFAULT 0,
    "tags" TEXT NOT NULL DEFAULT '',
    "state" TEXT NOT NULL DEFAULT 'UP',
    "lock" TEXT NOT NULL DEFAULT 'OPEN',
    "os" TEXT NOT NULL DEFAULT '',
    "load" REAL NOT NULL DEFAULT 0,
    "freeMemoryMb" INTEGER NOT NULL DEFAULT 0,
    "freeTempMb" INTEGER NOT NULL DEFAULT 0,
    "bootedAt" DATETIME,
    "lastReportAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Host_allocationId_fkey" FOREIGN KEY ("allocationId") REFERENCES "Allocation" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Show" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "schedulingMode" TEXT NOT NULL DEFAULT 'PRIORITY_ONLY',
    "defaultMaxRetries" INTEGER NOT NULL DEFAULT 3,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "Subscription" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "showId" TEXT NOT NULL,
    "allocationId" TEXT NOT NULL,
    "size" INTEGER NOT NULL,
    "burst" INTEGER NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Subscription_showId_fkey" FOREIGN KEY ("showId") REFERENCES "Show" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Subscription_allocationId_fkey" FOREIGN KEY ("allocationId") REFERENCES "Allocation" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Job" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "showId" TEXT NOT NULL,
    "shot" TEXT NOT NULL DEFAULT '',
    "user" TEXT NOT NULL,
    "priority" INTEGER NOT NULL DEFAULT 100,
    "paused" BOOLEAN NOT NULL DEFAULT false,
    "maxRetries" INTEGER NOT NULL DEFAULT 3,
    "state" TEXT NOT NULL DEFAULT 'PENDING',
    "comment" TEXT,
    "spec" TEXT NOT NULL DEFAULT '{}',
    "submittedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" DATETIME,
    "stoppedAt" DATETIME,
    "coreSeconds" REAL NOT NULL DEFAULT 0,
    CONSTRAINT "Job_showId_fkey" FOREIGN KEY ("showId") REFERENCES "Show" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Layer" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "jobId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "index" INTEGER NOT NULL DEFAULT 0,
    "type" TEXT NOT NULL DEFAULT 'RENDER',
    "command" TEXT NOT NULL,
    "range" TEXT NOT NULL,
    "chunk" INTEGER NOT NULL DEFAULT 1,
    "minCores" REAL NOT NULL DEFAULT 1,
    "maxCores" REAL NOT NULL DEFAULT 1,
    "threadable" BOOLEAN NOT NULL DEFAULT false,
    "memoryMb" INTEGER NOT NULL DEFAULT 1024,
    "gpus" INTEGER NOT NULL DEFAULT 0,
    "gpuMemoryMb" INTEGER NOT NULL DEFAULT 0,
    "tags" TEXT NOT NULL DEFAULT '',
    "timeoutMinutes" REAL,
    "env" TEXT NOT NULL DEFAULT '{}',
    "outputPath" TEXT,
    CONSTRAINT "Layer_jobId_fkey" FOREIGN KEY ("jobId") REFERENCES "Job" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Frame" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "jobId" TEXT NOT NULL,
    "layerId" TEXT NOT NULL,
    "number" INTEGER NOT NULL,
    "frames" TEXT NOT NULL,
    "dispatchOrder" INTEGER NOT NULL DEFAULT 0,
    "state" TEXT NOT NULL DEFAULT 'WAITING',
    "retries" INTEGER NOT NULL DEFAULT 0,
    "attempt" INTEGER NOT NULL DEFAULT 0,
    "exitStatus" INTEGER,
    "exitSignal" TEXT,
    "hostId" TEXT,
    "startedAt" DATETIME,
    "stoppedAt" DATETIME,
    "maxRssMb" REAL NOT NULL DEFAULT 0,
    "cpuSeconds" REAL NOT NULL DEFAULT 0,
    CONSTRAINT "Frame_jobId_fkey" FOREIGN KEY ("jobId") REFERENCES "Job" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Frame_layerId_fkey" FOREIGN KEY ("layerId") REFERENCES "Layer" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Frame_hostId_fkey" FOREIGN KEY ("hostId") REFERENCES "Host" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Proc" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "hostId" TEXT NOT NULL,
    "frameId" INTEGER NOT NULL,
    "jobId" TEXT NOT NULL,
    "attempt" INTEGER NOT NULL,
    "cores" REAL NOT NULL,
    "memoryMb" INTEGER NOT NULL,
    "gpus" INTEGER NOT NULL DEFAULT 0,
    "gpuMemoryMb" INTEGER NOT NULL DEFAULT 0,
    "bookedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" DATETIME,
    CONSTRAINT "Proc_hostId_fkey" FOREIGN KEY ("hostId") REFERENCES "Host" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Proc_frameId_fkey" FOREIGN KEY ("frameId") REFERENCES "Frame" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Proc_jobId_fkey" FOREIGN KEY ("jobId") REFERENCES "Job" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Limit" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "max" INTEGER NOT NULL,
    "current" INTEGER NOT NULL DEFAULT 0,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "LayerLimit" (
    "layerId" TEXT NOT NULL,
    "limitId" TEXT NOT NULL,

    PRIMARY KEY ("layerId", "limitId"),
    CONSTRAINT "LayerLimit_layerId_fkey" FOREIGN KEY ("layerId") REFERENCES "Layer" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "LayerLimit_limitId_fkey" FOREIGN KEY ("limitId") REFERENCES "Limit" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Depend" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "type" TEXT NOT NULL,
    "dependerJobId" TEXT NOT NULL,
    "dependerLayerId" TEXT,
    "dependerFrameId" INTEGER,
    "onJobId" TEXT NOT NULL,
    "onLayerId" TEXT,
    "onFrameId" INTEGER,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "satisfiedAt" DATETIME
);

-- CreateTable
CREATE TABLE "FrameAttempt" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "frameId" INTEGER NOT NULL,
    "attempt" INTEGER NOT NULL,
    "hostId" TEXT,
    "hostName" TEXT NOT NULL,
    "cores" REAL NOT NULL DEFAULT 0,
    "startedAt" DATETIME NOT NULL,
    "stoppedAt" DATETIME,
    "exitStatus" INTEGER,
    "exitSignal" TEXT,
    "reason" TEXT,
    "maxRssMb" REAL NOT NULL DEFAULT 0,
    "cpuSeconds" REAL NOT NULL DEFAULT 0,
    "logPath" TEXT NOT NULL,
    CONSTRAINT "FrameAttempt_frameId_fkey" FOREIGN KEY ("frameId") REFERENCES "Frame" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "FrameAttempt_hostId_fkey" FOREIGN KEY ("hostId") REFERENCES "Host" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Command" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "user" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "targetType" TEXT NOT NULL,
    "targetId" TEXT NOT NULL,
    "args" TEXT NOT NULL DEFAULT '{}',
    "status" TEXT NOT NULL DEFAULT 'PENDING',
    "outcome" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "appliedAt" DATETIME
);

-- CreateTable
CREATE TABLE "Comment" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "jobId" TEXT NOT NULL,
    "user" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Comment_jobId_fkey" FOREIGN KEY ("jobId") REFERENCES "Job" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "User" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "displayName" TEXT NOT NULL DEFAULT '',
    "email" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "ShowUsage" (
    "showId" TEXT NOT NULL,
    "day" TEXT NOT NULL,
    "coreSeconds" REAL NOT NULL DEFAULT 0,
    "frames" INTEGER NOT NULL DEFAULT 0,

    PRIMARY KEY ("showId", "day"),
    CONSTRAINT "ShowUsage_showId_fkey" FOREIGN KEY ("showId") REFERENCES "Show" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "Facility_name_key" ON "Facility"("name");

-- CreateIndex
CREATE UNIQUE INDEX "Allocation_name_key" ON "Allocation"("name");

-- CreateIndex
CREATE UNIQUE INDEX "Host_name_key" ON "Host"("name");

-- CreateIndex
CREATE INDEX "Host_allocationId_idx" ON "Host"("allocationId");

-- CreateIndex
CREATE UNIQUE INDEX "Show_name_key" ON "Show"("name");

-- CreateIndex
CREATE UNIQUE INDEX "Subscription_showId_allocationId_key" ON "Subscription"("showId", "allocationId");

-- CreateIndex
CREATE INDEX "Job_showId_state_idx" ON "Job"("showId", "state");

-- CreateIndex
CREATE INDEX "Job_user_state_idx" ON "Job"("user", "state");

-- CreateIndex
CREATE INDEX "Job_state_idx" ON "Job"("state");

-- CreateIndex
CREATE UNIQUE INDEX "Layer_jobId_name_key" ON "Layer"("jobId", "name");

-- CreateIndex
CREATE INDEX "Frame_jobId_state_idx" ON "Frame"("jobId", "state");

-- CreateIndex
CREATE INDEX "Frame_state_idx" ON "Frame"("state");

-- CreateIndex
CREATE UNIQUE INDEX "Frame_layerId_number_key" ON "Frame"("layerId", "number");

-- CreateIndex
CREATE UNIQUE INDEX "Proc_frameId_key" ON "Proc"("frameId");

-- CreateIndex
CREATE INDEX "Proc_hostId_idx" ON "Proc"("hostId");

-- CreateIndex
CREATE UNIQUE INDEX "Limit_name_key" ON "Limit"("name");

-- CreateIndex
CREATE INDEX "Depend_onJobId_active_idx" ON "Depend"("onJobId", "active");

-- CreateIndex
CREATE INDEX "Depend_dependerJobId_idx" ON "Depend"("dependerJobId");

-- CreateIndex
CREATE INDEX "FrameAttempt_hostId_idx" ON "FrameAttempt"("hostId");

-- CreateIndex
CREATE UNIQUE INDEX "FrameAttempt_frameId_attempt_key" ON "FrameAttempt"("frameId", "attempt");

-- CreateIndex
CREATE INDEX "Command_status_id_idx" ON "Command"("status", "id");

-- CreateIndex
CREATE INDEX "Command_targetType_targetId_idx" ON "Command"("targetType", "targetId");

-- CreateIndex
CREATE INDEX "Command_user_createdAt_idx" ON "Command"("user", "createdAt");

-- CreateIndex
CREATE INDEX "Comment_jobId_idx" ON "Comment"("jobId");

-- CreateIndex
CREATE UNIQUE INDEX "User_name_key" ON "User"("name");
